"""Members from a list: a CSV pasted or uploaded (name, initials, organisation, email, role),
previewed row by row — created, matched or refused, and why — and only then saved."""

import csv
import io
from dataclasses import dataclass, field

from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from members import services
from members.forms import helper
from members.models import Committee, Membership, Organisation, Person

MAX_ROWS = 500
MAX_BYTES = 1_000_000
COLUMNS = ["name", "initials", "organisation", "email", "role"]

ROLE_WORDS = {
    "": Membership.Role.MEMBER,
    "member": Membership.Role.MEMBER,
    "chair": Membership.Role.CHAIR,
    "chairman": Membership.Role.CHAIR,
    "chairperson": Membership.Role.CHAIR,
    "vice-chair": Membership.Role.VICE_CHAIR,
    "vice chair": Membership.Role.VICE_CHAIR,
    "vice-chairman": Membership.Role.VICE_CHAIR,
    "officer": Membership.Role.OFFICER,
    "clerk": Membership.Role.OFFICER,
    "secretary": Membership.Role.OFFICER,
    "officer or clerk": Membership.Role.OFFICER,
    "observer": Membership.Role.OBSERVER,
}


class MembersImportForm(forms.Form):
    csv = forms.CharField(
        required=False,
        label="Paste the list",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="One member a line: name, initials, organisation, email, role — "
        "e.g. “Ian Cooper, IC, Hampshire CC, ian@example.org, Chair”. A first line of "
        "column names is fine. Roles: Chair, Vice-chair, Member, Officer or clerk, Observer.",
    )
    file = forms.FileField(
        required=False,
        label="Or upload a CSV file",
        help_text="Saved from a spreadsheet as CSV, with the same columns.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Layout("csv", "file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None:
            return ""
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("This file is over 1 MB: a list of members is smaller.")
        raw = upload.read()
        if b"\0" in raw:
            raise forms.ValidationError("This is not a CSV file: save the list as CSV and retry.")
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError("This file’s characters could not be read: save it as UTF-8.")

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("file") or cleaned.get("csv", "")
        if not self.errors and not text.strip():
            self.add_error("csv", "Paste the list here, or upload a CSV file.")
        elif len(text.splitlines()) > MAX_ROWS + 1:
            self.add_error("csv", f"At most {MAX_ROWS} members at a time: split the list.")
        cleaned["text"] = text
        return cleaned


@dataclass
class ImportRow:
    """One line of the list, and what saving it would do."""

    CREATE = "create"
    MATCH = "match"
    ALREADY = "already"
    REFUSE = "refuse"

    line: int
    name: str = ""
    initials: str = ""
    organisation: str = ""
    email: str = ""
    role_text: str = ""
    role: str = ""
    given_name: str = ""
    family_name: str = ""
    outcome: str = ""
    person: Person | None = None
    notes: list[str] = field(default_factory=list)

    def refuse(self, reason: str) -> None:
        self.outcome = self.REFUSE
        self.notes.append(reason)

    @property
    def refused(self) -> bool:
        return self.outcome == self.REFUSE

    @property
    def role_label(self) -> str:
        return Membership.Role(self.role).label if self.role else self.role_text

    @property
    def outcome_label(self) -> str:
        return {
            self.CREATE: "New person",
            self.MATCH: "Matched",
            self.ALREADY: "Already a member",
            self.REFUSE: "Refused",
        }[self.outcome]


def _split_name(name: str) -> tuple[str, str]:
    """ "Cooper, Ian" or "Ian Cooper" → ("Ian", "Cooper"); "Jan van der Berg" keeps "van der"."""
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return given, family
    given, _, family = name.partition(" ")
    return given, family.strip()


def _records(text: str) -> list[tuple[int, list[str]]]:
    lines = [
        (number, [value.strip() for value in values])
        for number, values in enumerate(csv.reader(io.StringIO(text)), 1)
        if any(value.strip() for value in values)
    ]
    if lines and lines[0][1] and lines[0][1][0].lower() in ("name", "full name"):
        lines = lines[1:]
    return lines


def preview(*, committee: Committee, text: str) -> list[ImportRow]:
    """What saving ``text`` would do to ``committee``, row by row. Reads; writes nothing."""
    people = list(Person.objects.select_related("organisation"))
    by_email = {p.email.lower(): p for p in people if p.email}
    by_initials = {p.initials.upper(): p for p in people}
    organisations = {o.name.lower(): o for o in Organisation.objects.all()}
    organisations.update({o.short_name.lower(): o for o in organisations.values() if o.short_name})
    seats = set(
        Membership.objects.current().filter(committee=committee).values_list("person_id", "role")
    )
    seen_initials, seen_emails, rows = {}, {}, []
    for line, values in _records(text):
        values = (values + [""] * len(COLUMNS))[: len(COLUMNS)]
        row = ImportRow(line, *values)
        rows.append(row)
        row.given_name, row.family_name = _split_name(row.name)
        row.initials = row.initials.upper()
        row.role = ROLE_WORDS.get(" ".join(row.role_text.lower().split()), "")
        if not row.given_name or not row.family_name:
            row.refuse("Give the full name, e.g. “Ian Cooper”.")
        if not row.role:
            row.refuse(
                f"“{row.role_text}” is not a role here: use Chair, Vice-chair, Member, "
                "Officer or clerk, or Observer."
            )
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.refuse(f"“{row.email}” is not an email address.")
        if row.refused:
            continue
        person = by_email.get(row.email.lower()) if row.email else None
        holder = by_initials.get(row.initials) if row.initials else None
        if person is None and holder is not None:
            if holder.full_name.lower() == f"{row.given_name} {row.family_name}".lower():
                person = holder
            else:
                row.refuse(f"{holder.full_name} already uses the initials {row.initials}.")
                continue
        if person is None and not row.initials:
            made = (row.given_name[:1] + row.family_name.split()[-1][:1]).upper()
            if made in by_initials or made in seen_initials:
                row.refuse("Give initials: those made from the name are taken.")
                continue
            row.initials = made
            row.notes.append(f"Initials {made} made from the name.")
        if person is not None and row.initials and person.initials != row.initials:
            row.notes.append(f"Known as {person.initials}; the initials given are not used.")
        key = person.initials if person else row.initials
        if key in seen_initials:
            row.refuse(f"Line {seen_initials[key]} is the same person.")
            continue
        if row.email and row.email.lower() in seen_emails:
            row.refuse(f"Line {seen_emails[row.email.lower()]} has the same email address.")
            continue
        seen_initials[key] = line
        if row.email:
            seen_emails[row.email.lower()] = line
        row.person = person
        if person is None:
            row.outcome = ImportRow.CREATE
            if row.organisation and row.organisation.lower() not in organisations:
                row.notes.append(f"New organisation: {row.organisation}.")
        elif (person.pk, row.role) in seats:
            row.outcome = ImportRow.ALREADY
        else:
            row.outcome = ImportRow.MATCH
            row.notes.append(f"Already in Minutebook as {person.full_name} ({person.initials}).")
    return rows


@dataclass
class ImportResult:
    created: int = 0
    matched: int = 0
    already: int = 0
    refused: int = 0

    def summary(self) -> str:
        said = [f"Added {self.created + self.matched} members"]
        if self.matched:
            said.append(f"{self.matched} of them already in Minutebook")
        if self.already:
            said.append(f"{self.already} already members, left as they were")
        if self.refused:
            said.append(f"{self.refused} refused lines not saved")
        return "; ".join(said) + "."


def members_import(*, committee: Committee, text: str) -> ImportResult:
    """Save the list as ``preview`` shows it, all or nothing; refused rows are left out."""
    result = ImportResult()
    organisations = {}
    with transaction.atomic():
        for row in preview(committee=committee, text=text):
            if row.refused:
                result.refused += 1
                continue
            if row.outcome == ImportRow.ALREADY:
                result.already += 1
                continue
            if row.person is None:
                name = row.organisation.lower()
                if name and name not in organisations:
                    organisations[name] = Organisation.objects.filter(
                        short_name__iexact=row.organisation
                    ).first() or services.organisation_named(row.organisation)
                row.person = services.person_create(
                    given_name=row.given_name,
                    family_name=row.family_name,
                    initials=row.initials,
                    email=row.email,
                    organisation=organisations.get(name),
                )
                result.created += 1
            else:
                result.matched += 1
            services.membership_add(committee=committee, person=row.person, role=row.role)
    return result
