"""Periodic upkeep that runs wherever the app runs, in any number of copies."""

import datetime

from django.db import models
from django.utils import timezone


class Chore(models.Model):
    """One periodic chore and when it is next due: the claim every copy of the loop races for.

    A copy runs the chore only if it moves ``due_at`` forward itself, in one conditional
    UPDATE; the database lets exactly one of several copies do so, on SQLite and PostgreSQL
    alike, and no lock is held while the chore runs. A copy killed halfway leaves the chore
    due again one interval later.
    """

    name = models.CharField(max_length=50, primary_key=True)
    due_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return self.name

    @classmethod
    def claim(cls, name: str, *, every: datetime.timedelta) -> bool:
        """True if this caller is the one to run ``name`` now (it is then due ``every`` later)."""
        now = timezone.now()
        cls.objects.bulk_create([cls(name=name, due_at=now)], ignore_conflicts=True)
        return bool(
            cls.objects.filter(name=name, due_at__lte=now).update(
                due_at=now + every, started_at=now
            )
        )

    @classmethod
    def record(cls, name: str, report: str) -> None:
        cls.objects.filter(name=name).update(finished_at=timezone.now(), report=report[:500])
