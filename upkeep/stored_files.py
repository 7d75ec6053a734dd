"""Stored files that nothing refers to any more, and their removal.

A process stopped between writing a file and committing the row that names it, a duplicate
written under a renamed name by a race, an upload whose row was deleted, an agenda PDF of a
revision since replaced: each leaves a file in storage that no reader can reach. Pruning
removes those, and only those, under the folders the app writes (never anything else in a
shared bucket), and only once they are older than a grace period, so that a file being
written now, whose row is not committed yet, is never touched.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils import timezone

from meetings.agenda_pdf import current_agenda_pdfs
from minutes.backup import referenced_names, stored_names

# The folders the app stores files in (the first part of every stored name), and what names
# the files in each: nothing outside these folders is ever pruned. A new kind of stored file
# adds its folder here (a guard test checks every file field has one).
FOLDERS = {
    "minutes": "minutes.MinutesVersion.pdf",
    "agendas": "meetings.agenda_pdf.stored_name",
    "imported": "minutes.ImportedDocument.file",
    "imports": "minutes.ImportUpload.file",
}


@dataclass
class PruneReport:
    dry_run: bool
    stored: int = 0
    recent: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would remove" if self.dry_run else "removed"
        return (
            f"{verb} {len(self.orphaned)} orphaned stored file(s) of {self.stored}; "
            f"{len(self.recent)} unreferenced but too recent, kept"
        )


def stored_files_prune(
    *, older_than: datetime.timedelta, dry_run: bool = False, storage=default_storage
) -> PruneReport:
    """Remove the app's stored files that no row refers to, last changed before ``older_than``."""
    report = PruneReport(dry_run=dry_run)
    cutoff = timezone.now() - older_than
    referenced = referenced_names()
    unreferenced = []
    for folder in FOLDERS:
        for name in stored_names(storage, folder):
            report.stored += 1
            if name in referenced:
                continue
            try:
                changed = storage.get_modified_time(name)
            except FileNotFoundError:  # removed since it was listed
                continue
            (report.recent if changed > cutoff else unreferenced).append(name)
    # Asked again at the end: a row committed while the store was being listed keeps its file.
    keep = referenced_names() | current_agenda_pdfs(unreferenced)
    report.orphaned = sorted(name for name in unreferenced if name not in keep)
    if not dry_run:
        for name in report.orphaned:
            storage.delete(name)
    return report
