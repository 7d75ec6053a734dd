from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_each_attendances_committee(apps, schema_editor):
    """Give every attendance recorded so far its meeting's committee. One statement."""
    Attendance = apps.get_model("meetings", "Attendance")
    Meeting = apps.get_model("meetings", "Meeting")
    committee = Meeting.objects.filter(pk=OuterRef("meeting_id")).values("committee_id")[:1]
    Attendance.objects.update(committee_id=Subquery(committee))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_attendance_committee"),
    ]

    operations = [
        migrations.RunPython(copy_each_attendances_committee, migrations.RunPython.noop),
    ]
