"""Mark held the past meetings with attendance or minutes recorded.

Until now nothing marked a meeting held; from here on recording attendance or starting
the minutes of a meeting on or before its day does, and ``manage.py mark_held_meetings``
(daily) marks those whose day passes after their attendance was recorded.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


def mark_held(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Attendance = apps.get_model("meetings", "Attendance")
    Minutes = apps.get_model("minutes", "Minutes")
    recorded = Exists(Attendance.objects.filter(meeting=OuterRef("pk"))) | Exists(
        Minutes.objects.filter(meeting=OuterRef("pk"))
    )
    Meeting.objects.filter(
        Q(recorded), status="scheduled", date__lte=timezone.localdate()
    ).update(status="held")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_meeting_date_in_range"),
        ("minutes", "0002_create_secretariat_group"),
    ]

    operations = [migrations.RunPython(mark_held, migrations.RunPython.noop)]
