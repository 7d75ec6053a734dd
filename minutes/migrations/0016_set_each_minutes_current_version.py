from django.db import migrations
from django.db.models import OuterRef, Subquery


def set_each_minutes_current_version(apps, schema_editor):
    """Point each published minutes at its latest version (the highest number), as publishing
    now does; minutes never published keep none. One statement, whatever the archive."""
    Minutes = apps.get_model("minutes", "Minutes")
    MinutesVersion = apps.get_model("minutes", "MinutesVersion")
    latest = MinutesVersion.objects.filter(minutes=OuterRef("pk")).order_by("-number")
    Minutes.objects.update(current_version=Subquery(latest.values("pk")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0015_minutes_current_version"),
    ]

    operations = [
        migrations.RunPython(set_each_minutes_current_version, migrations.RunPython.noop),
    ]
