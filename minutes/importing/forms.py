"""The import screens' forms: uploading files of minutes, and correcting what was recognised."""

import datetime
import hashlib

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings

from members.models import Person

from .dates import find_dates
from .parse import (
    ABSENT,
    APOLOGIES,
    IN_ATTENDANCE,
    PRESENT,
    Draft,
    ParsedAction,
    ParsedDecision,
    ParsedItem,
    Span,
)  # fmt: skip
from .people import ParsedPerson
from .readers import MAX_BYTES, UnreadableFile, check_file, refuse_by_name_or_size

PEOPLE_FIELDS = {
    PRESENT: "Present",
    IN_ATTENDANCE: "In attendance (officers, guests)",
    APOLOGIES: "Apologies",
    ABSENT: "Absent",
}
PEOPLE_HELP = "One person a line: name; organisation; role. Leave out what the minutes do not say."
ACTIONS_HELP = (
    "One action a line: owners | what | due date | reference (the last two if any). Owners by "
    "initials or name, e.g. “SH | Draft a letter of thanks”."
)


class _Helped(forms.Form):
    """The page holds the <form> tag; crispy renders the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ImportUploadForm(_Helped):
    files = MultipleFileField(
        label="Files of minutes",
        required=False,
        help_text="Word (.docx), PDF with text, .txt, .md or a saved web page (.html); "
        f"up to {MAX_BYTES // (1024 * 1024)} MB each. Choose several at once to import an archive "
        f"(up to {settings.DATA_UPLOAD_MAX_NUMBER_FILES} at a time).",
    )
    pasted = forms.CharField(
        label="Or paste the text of one set of minutes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_files(self):
        """Each file as (name, bytes); a file that cannot be read is refused here, by the field,
        so nothing of it is stored. Reading its text is left to the background task."""
        files, problems = [], []
        for upload in self.cleaned_data["files"]:
            try:
                refuse_by_name_or_size(upload.name, upload.size)  # before reading 50 MB
                data = upload.read()
                check_file(upload.name, data)
            except UnreadableFile as error:
                problems.append(str(error))
            else:
                files.append((upload.name, data))
        if problems:
            raise forms.ValidationError(problems)
        return files

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("files") and not cleaned.get("pasted", "").strip():
            raise forms.ValidationError("Choose at least one file, or paste the minutes' text.")
        return cleaned


def _people_lines(people: list[dict]) -> str:
    lines = []
    for person in people:
        parts = [person["name"], person.get("organisation", ""), person.get("role", "")]
        while parts and not parts[-1]:
            parts.pop()
        lines.append("; ".join(parts))
    return "\n".join(lines)


class ImportReviewForm(_Helped):
    """The meeting-level facts; the items are a formset beside it."""

    date = forms.DateField(
        label="Date of the meeting", widget=forms.DateInput(attrs={"type": "date"})
    )
    venue = forms.CharField(label="Venue", required=False, max_length=300)
    present = forms.CharField(
        label=PEOPLE_FIELDS[PRESENT],
        required=False,
        help_text=PEOPLE_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    in_attendance = forms.CharField(
        label=PEOPLE_FIELDS[IN_ATTENDANCE], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    apologies = forms.CharField(
        label=PEOPLE_FIELDS[APOLOGIES], required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    absent = forms.CharField(
        label=PEOPLE_FIELDS[ABSENT], required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_meeting = forms.CharField(
        label="Next meeting",
        required=False,
        max_length=300,
        help_text="A date, or what the minutes say of it.",
    )
    publish = forms.BooleanField(
        label="Publish as the record now (minutes approved before they came into Minutebook)",
        required=False,
    )
    approval_wording = forms.CharField(
        label="How they were approved, in their own words", required=False, max_length=300,
        help_text="Printed as the minutes' status, e.g. “Signed by the Chair as a correct record”.",
    )  # fmt: skip

    @classmethod
    def initial_from(cls, draft: dict) -> dict:
        initial = {kind: _people_lines(draft.get(kind, [])) for kind in PEOPLE_FIELDS}
        initial.update(
            date=draft.get("date"), venue=draft.get("venue", ""),
            next_meeting=draft.get("next_meeting") or "",
        )  # fmt: skip
        return initial

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publish") and not cleaned.get("approval_wording", "").strip():
            self.add_error(
                "approval_wording", "Say how the minutes were approved, to publish them."
            )
        return cleaned


class ItemReviewForm(_Helped):
    number = forms.CharField(label="Number", required=False, max_length=12)
    title = forms.CharField(label="Title", max_length=300)
    text = forms.CharField(
        label="Minute text", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    decisions = forms.CharField(
        label="Decisions",
        required=False,
        help_text="One decision a line.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    actions = forms.CharField(label="Actions", required=False, help_text=ACTIONS_HELP,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    split_at = forms.CharField(
        label="Split at line",
        required=False,
        max_length=300,
        help_text="To make two items: the line of the minute text where the second begins, "
        "by its number or its first words; that line becomes its title. Then choose “Split”.",
    )

    @staticmethod
    def initial_from(item: dict) -> dict:
        actions = []
        for action in item["actions"]:
            parts = [", ".join(action["owners"]), action["text"], action.get("due") or ""]
            parts.append(action.get("reference") or "")
            while not parts[-1]:
                parts.pop()
            actions.append(" | ".join(parts))
        return {
            "number": item["number"], "title": item["title"], "text": item["text"],
            "decisions": "\n".join(d.replace("\n", " ") for d in item["decisions"]),
            "actions": "\n".join(actions),
        }  # fmt: skip

    def clean_actions(self):
        lines = [line.strip() for line in self.cleaned_data["actions"].splitlines() if line.strip()]
        for line in lines:
            if "|" not in line:
                raise forms.ValidationError(
                    f"“{line[:60]}”: write the owners, then “|”, then the action, e.g. "
                    "“SH | Draft a letter of thanks”."
                )
        return "\n".join(lines)


ItemFormSet = forms.formset_factory(ItemReviewForm, extra=1, can_delete=True)
ITEM_FIELDS = ("number", "title", "text", "decisions", "actions")


def items_as_typed(data, prefix: str = "items") -> list[dict]:
    """The items as the page sent them, before any checking: what the secretary typed is
    kept through a merge or a split even where it is not yet valid."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 1000)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        row = {name: data.get(f"{prefix}-{index}-{name}", "") for name in ITEM_FIELDS}
        if data.get(f"{prefix}-{index}-DELETE") or not (row["title"] or row["text"]).strip():
            continue
        row["split_at"] = data.get(f"{prefix}-{index}-split_at", "")
        row["form"] = index  # the position of its form on the page
        rows.append(row)
    return rows


def _joined(*parts: str) -> str:
    return "\n".join(p.replace("\r\n", "\n").strip("\n") for p in parts if p.strip())


def merge_items(rows: list[dict], index: int) -> list[dict]:
    """Item ``index`` and the one after it as one item: the first's number and title, the
    second's title as a line of the text, their decisions and actions together."""
    if not 0 <= index < len(rows) - 1:
        raise ValueError("There is no next item to merge with.")
    first, second = rows[index], rows[index + 1]
    merged = {
        "number": first["number"],
        "title": first["title"],
        "text": _joined(first["text"], second["title"], second["text"]),
        "decisions": _joined(first["decisions"], second["decisions"]),
        "actions": _joined(first["actions"], second["actions"]),
    }
    return [*rows[:index], merged, *rows[index + 2 :]]


def split_item(rows: list[dict], index: int, at: str) -> list[dict]:
    """Item ``index`` as two: from line ``at`` of its minute text (its number, or its first
    words) on is a new item after it, titled by that line; decisions and actions stay with
    the first."""
    if not 0 <= index < len(rows):
        raise ValueError("There is no such item to split.")
    item = rows[index]
    lines = item["text"].replace("\r\n", "\n").rstrip("\n").split("\n")
    label = item["title"] or f"Item {index + 1}"
    at = " ".join(at.split()).lower()
    if at.isdigit():
        line = int(at)
    else:
        starting = [n for n, text in enumerate(lines, 1) if at and text.lower().startswith(at)]
        line = starting[0] if starting else None
    if line is None or not 1 <= line <= len(lines) or not lines[line - 1].strip():
        raise ValueError(
            f"“{label}”: give the number (1 to {len(lines)}) or the first words of a line of "
            "its minute text that is not blank, to split it there."
        )
    first = {**item, "text": _joined(*lines[: line - 1])}
    second = {
        "number": "",
        "title": lines[line - 1].strip().lstrip("#*-• ").strip()[:300],
        "text": _joined(*lines[line:]),
        "decisions": "",
        "actions": "",
    }
    return [*rows[:index], first, second, *rows[index + 1 :]]


class PeopleMatchForm(_Helped):
    """For each name no one recorded answers to: add them as a new person, or say who they are."""

    NEW = ""

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        choices = [(self.NEW, "Add as a new person")] + [
            (str(p.pk), p.full_name + (f" ({p.initials})" if p.initials else ""))
            for p in Person.objects.order_by("family_name", "given_name")
        ]
        for name in names:
            self.fields[self.field_name(name)] = forms.ChoiceField(
                label=f"“{name}”", choices=choices, required=False
            )

    @staticmethod
    def field_name(name: str) -> str:
        return "who-" + hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:12]

    def chosen(self) -> dict[str, Person]:
        """The names matched to someone, and who."""
        picked = {
            name: self.cleaned_data.get(self.field_name(name)) for name in self.names
        }  # fmt: skip
        people = Person.objects.in_bulk([int(pk) for pk in picked.values() if pk])
        return {name: people[int(pk)] for name, pk in picked.items() if pk}


def people_as_typed(data) -> list[ParsedPerson]:
    """Everyone the attendance boxes name, as typed."""
    return [p for kind in PEOPLE_FIELDS for p in map(_person, data.get(kind, "").splitlines()) if p]


def _person(line: str) -> ParsedPerson | None:
    parts = [p.strip() for p in line.split(";")]
    if not parts or not parts[0]:
        return None
    parts += ["", ""]
    return ParsedPerson(name=parts[0], organisation=parts[1], role=parts[2])


def draft_from_review(form: ImportReviewForm, items: forms.BaseFormSet, parsed: dict) -> Draft:
    """The secretary's corrected draft, ready to import."""
    data = form.cleaned_data
    draft = Draft(date=data["date"], venue=data["venue"])
    if parsed.get("start_time"):
        draft.start_time = datetime.time.fromisoformat(parsed["start_time"])
    for kind in PEOPLE_FIELDS:
        draft.people[kind] = [p for p in map(_person, data[kind].splitlines()) if p]
    next_meeting = data["next_meeting"].strip()
    found = [f.date for f in find_dates(next_meeting, reference=draft.date) if f.date]
    if found:
        draft.next_meeting = found[0]
    else:
        draft.next_meeting_text = next_meeting
    nowhere = Span(0, 0)
    for item_form in items:
        item = item_form.cleaned_data
        if not item or item.get("DELETE") or not item.get("title"):
            continue
        parsed_item = ParsedItem(number=item["number"], title=item["title"], span=nowhere)
        parsed_item.text = item["text"].replace("\r\n", "\n").strip()
        parsed_item.text += "\n" if parsed_item.text else ""
        parsed_item.decisions = [
            ParsedDecision(line.strip(), nowhere) for line in item["decisions"].splitlines()
            if line.strip()
        ]  # fmt: skip
        for line in item["actions"].splitlines():
            owners, what, due, reference = ([*line.split("|"), "", ""])[:4]
            dates = find_dates(due, reference=draft.date) if due.strip() else []
            parsed_item.actions.append(
                ParsedAction(
                    text=what.strip(),
                    owners=[o.strip() for o in owners.replace("&", ",").split(",") if o.strip()],
                    span=nowhere,
                    due=dates[0].date if dates else None,
                    owners_text=owners.strip(),
                    reference=reference.strip(),
                )
            )
        draft.items.append(parsed_item)
    return draft
