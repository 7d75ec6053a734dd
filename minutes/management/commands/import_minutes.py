"""python manage.py import_minutes FILE... --committee SLUG [--dry-run] [--format json]"""

import io
import json
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from members.models import Committee
from minutes.importing.parse import parse_minutes
from minutes.importing.readers import SUFFIXES, UnreadableFile, read_text, suffix_of
from minutes.importing.services import ImportRefused, minutes_import
from minutes.services import WorkflowError, minutes_publish_historic

# What the dry run prints for a file that could not be read: the same keys, nothing found.
EMPTY = {"date": None, "present": [], "in_attendance": [], "apologies": [], "absent": [],
         "items": [], "next_meeting": None}  # fmt: skip


def expand(paths: list[str]) -> list[tuple[str, bytes]]:
    """Files, folders (every importable file inside, sorted) and zip archives, as (name, bytes)."""
    found: list[tuple[str, bytes]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if suffix_of(child.name) in SUFFIXES | {".zip"} and not child.name.startswith("."):
                    found += expand([str(child)])
        elif not path.exists():
            raise CommandError(f"{given}: no such file or folder.")
        elif suffix_of(path.name) == ".zip":
            try:
                with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                    for info in sorted(archive.infolist(), key=lambda i: i.filename):
                        name = Path(info.filename).name
                        if info.is_dir() or name.startswith(".") or "__MACOSX" in info.filename:
                            continue
                        if suffix_of(name) in SUFFIXES:
                            found.append((f"{path.name}/{info.filename}", archive.read(info)))
            except zipfile.BadZipFile:
                raise CommandError(f"{given} is not a readable zip archive.") from None
        else:
            found.append(
                (path.name if len(paths) > 1 or path.is_file() else given, path.read_bytes())
            )
    return found


class Command(BaseCommand):
    help = (
        "Import minutes from .txt, .md, .docx, .pdf or .html files (or folders or zip archives of "
        "them) into a committee as draft minutes. With --dry-run, show what was recognised and "
        "save nothing; --format json prints one JSON object per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--committee", required=True, help="the committee's slug")
        parser.add_argument("--dry-run", action="store_true", help="parse and report; save nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--replace", action="store_true",
            help="import a file again, replacing the draft made from it before",
        )  # fmt: skip
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument(
            "--publish-as-historic", action="store_true",
            help="publish each imported meeting's minutes as the record, as written, with the "
            "original file downloadable beside them (needs --user and --approval-wording)",
        )  # fmt: skip
        parser.add_argument(
            "--approval-wording",
            help="how the record says the minutes were approved, in their own words, e.g. "
            '"Signed by the Chair as a correct record"',
        )

    def handle(self, *args, **options):
        try:
            committee = Committee.objects.get(slug=options["committee"])
        except Committee.DoesNotExist:
            raise CommandError(f"No committee with the slug {options['committee']!r}.") from None
        by = None
        if options["user"]:
            by = get_user_model().objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"No user {options['user']!r}.")
        if options["publish_as_historic"] and not (by and options["approval_wording"]):
            raise CommandError(
                "--publish-as-historic needs --user (who publishes) and --approval-wording "
                "(how the minutes were approved, as they say it)."
            )
        files = expand(options["files"])
        if not files:
            raise CommandError("No importable files (.txt, .md, .docx, .pdf, .html) were found.")
        as_json = options["format"] == "json"
        imported, refused = [], []
        for name, data in files:
            try:
                draft = parse_minutes(read_text(name, data))
            except UnreadableFile as error:
                refused.append((name, str(error)))
                if as_json and options["dry_run"]:
                    self.stdout.write(json.dumps({**EMPTY, "warnings": [str(error)]}))
                else:
                    self.stderr.write(f"{name}: not imported. {error}")
                continue
            if options["dry_run"]:
                if as_json:
                    self.stdout.write(json.dumps(draft.as_json(), ensure_ascii=False))
                else:
                    self._describe(name, draft)
                imported.append(name)
                continue
            try:
                result = minutes_import(
                    committee=committee, draft=draft, filename=Path(name).name, data=data,
                    by=by, replace=options["replace"],
                )  # fmt: skip
            except ImportRefused as error:
                refused.append((name, str(error)))
                self.stderr.write(f"{name}: not imported. {error}")
                continue
            except OSError as error:
                # Storing the original file failed; the transaction left nothing behind.
                refused.append((name, str(error)))
                self.stderr.write(f"{name}: not imported: the file could not be stored ({error}).")
                continue
            imported.append(name)
            if options["publish_as_historic"]:
                self._publish(result, options["approval_wording"], by)
            line = (
                f"{name}: imported as the draft minutes of {result.meeting.date:%A %-d %B %Y} "
                f"({result.meeting.agenda_items.count()} items, "
                f"{len(result.people_matched)} people matched, {len(result.people_created)} new)."
            )
            if as_json:
                self.stdout.write(json.dumps({
                    "file": name, "meeting": result.meeting.pk,
                    "date": result.meeting.date.isoformat(),
                    "people_created": [p.full_name for p in result.people_created],
                    "people_matched": [p.full_name for p in result.people_matched],
                    "warnings": result.warnings,
                }, ensure_ascii=False))  # fmt: skip
            else:
                self.stdout.write(line)
                for warning in result.warnings:
                    self.stdout.write(f"  warning: {warning}")
        if len(files) > 1 or refused:
            verb = "Read" if options["dry_run"] else "Imported"
            summary = f"{verb} {len(imported)} of {len(files)} files."
            if refused:
                summary += " Not imported: " + "; ".join(name for name, _ in refused) + "."
            (self.stderr if as_json else self.stdout).write(summary)
        if refused and not imported:
            raise CommandError("Nothing was imported.")

    def _publish(self, result, wording: str, by) -> None:
        try:
            minutes_publish_historic(
                minutes=result.meeting.minutes, by=by, approval_wording=wording
            )
        except (WorkflowError, ValidationError, OSError) as error:
            # The draft stays; publishing can be done again from the workspace.
            result.warnings.append(f"Imported as a draft, but not published: {error}")

    def _describe(self, name: str, draft) -> None:
        data = draft.as_json()
        write = self.stdout.write
        write(f"{name}")
        write(f"  date: {data['date'] or 'not found'}")
        for kind in ("present", "in_attendance", "apologies", "absent"):
            if data[kind]:
                names = ", ".join(p["name"] for p in data[kind])
                write(f"  {kind.replace('_', ' ')} ({len(data[kind])}): {names}")
        for item in data["items"]:
            write(f"  {item['number'] or '-'} {item['title']}")
            for decision in item["decisions"]:
                write(f"      decision: {decision}")
            for action in item["actions"]:
                owners = ", ".join(action["owners"]) or "no owner"
                write(f"      action ({owners}): {action['text']}")
        write(f"  next meeting: {data['next_meeting'] or 'not found'}")
        for warning in data["warnings"]:
            write(f"  warning: {warning}")
