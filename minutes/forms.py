"""Forms of the secretariat's workspace for minutes.

They validate and normalise what is typed (owners typed as initials become
people, line endings become one kind); the operations live in
``minutes.services``. Every form here is one of many on a page, so each is
built with a prefix and leaves the ``<form>`` tag, and its buttons, to the
template.
"""

import datetime
import functools
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils.formats import date_format
from django.utils.text import get_text_list

from meetings.models import Meeting
from members.models import Committee, Person
from minutes.models import (
    MINUTE_TEXT_MAX_LENGTH,
    Action,
    Decision,
    Minutes,
    MinutesEvent,
    MinutesVersion,
    SearchEntry,
)
from minutes.statistics import Period


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> carries the token
    helper.layout = Layout(*fields)
    return helper


class WorkspaceForm(forms.Form):
    """A form laid out by crispy-forms; the template writes the ``<form>`` tag and buttons."""

    layout: tuple = ()

    @functools.cached_property
    def helper(self) -> FormHelper:
        # Made when first asked for: lists show one form per row and most are never laid out.
        return _helper(*self.layout)


class TextField(forms.CharField):
    """Text from a textarea, with Windows and old-Mac line endings made ``\\n``."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


# -- Owners typed as initials or names ------------------------------------------------

# Between two owners: a comma or semicolon, "&", or the word "and".
_NAME_SEPARATORS = re.compile(r"\s*(,|;|&|\band\b)\s*", flags=re.IGNORECASE)
_JOINS = {",": ", ", ";": ", ", "&": " & ", "and": " and "}


def _quoted(names) -> str:
    return get_text_list([f"“{name}”" for name in names], "and")


def _split_names(text: str) -> tuple[list[str], list[str]]:
    """ "TG & Ben Mills, sh" → (["TG", "Ben Mills", "sh"], [" & ", ", "])."""
    parts = _NAME_SEPARATORS.split(text)
    names, joins = [], []
    for index, part in enumerate(parts):
        if index % 2:
            joins.append(_JOINS[part.casefold()])
        elif name := " ".join(part.split()):
            names.append(name)
        elif joins:
            joins.pop()  # a separator with nobody after it
    return names, joins[: max(len(names) - 1, 0)]


def owners_as_written(text: str, people: list[Person]) -> str:
    """The owners as the minutes print them: each name typed becomes initials, the joining
    words stay: "tg & Ben Mills" → "TG & BM". ``people`` are ``people_named(text)``."""
    names, joins = _split_names(text)
    if len(names) != len(people):
        return ""  # someone named twice: print the initials joined by commas
    label = people[0].initials if people else ""
    for join, person in zip(joins, people[1:], strict=True):
        label += join + person.initials
    return label


def people_named(text: str) -> list[Person]:
    """The people ``text`` names, in order: "SH, Martin Ferguson" → [Horner, Ferguson].

    Each part between commas, "&" or "and" is someone's initials (in any case),
    or else their full name or the short name minutes use for them. Unknown and
    ambiguous parts are reported together, so one correction fixes them all.
    """
    names, _ = _split_names(text)
    if not names:
        return []
    condition = Q()
    for name in names:
        condition |= Q(initials__iexact=name) | Q(db_full_name__iexact=name)
        condition |= Q(known_as__iexact=name)
    candidates = list(
        Person.objects.annotate(db_full_name=Concat("given_name", Value(" "), "family_name"))
        .filter(condition)
        .order_by("initials")
    )
    people, unknown, errors = [], [], []
    for name in names:
        folded = name.casefold()
        matches = [p for p in candidates if p.initials.casefold() == folded]
        matches = matches or [p for p in candidates if p.full_name.casefold() == folded]
        matches = matches or [p for p in candidates if p.known_as.casefold() == folded]
        if not matches:
            unknown.append(name)
        elif len(matches) > 1:
            errors.append(
                f"More than one person is called “{name}”: use their initials "
                f"({', '.join(p.initials for p in matches)})."
            )
        elif matches[0] not in people:
            people.append(matches[0])
    if unknown:
        errors.insert(0, f"No one has the initials or name {_quoted(unknown)}.")
    if errors:
        raise ValidationError(errors)
    return people


# -- Taking the minutes ---------------------------------------------------------------


class MinuteForm(WorkspaceForm):
    """An item's minute text, and the revision the editor started from.

    A standard item (apologies, matters arising, dates of future meetings) also
    says whether the line Minutebook writes from the record is printed above it.
    """

    layout = (Field("text", css_class="font-monospace"), "shows_generated", "revision")

    text = TextField(
        label="Minute",
        required=False,
        max_length=MINUTE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: a blank line between paragraphs, “- ” at the start of a bullet "
        "point, “### ” before a sub-heading; a single line break stays a line break.",
    )
    shows_generated = forms.BooleanField(
        label="Print the line above, written from the record",
        required=False,
        help_text="Untick it when your text already says the same.",
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, item_label: str = "", generates: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if item_label:
            self.fields["text"].label = f"Minute of {item_label}"
        if not generates:
            del self.fields["shows_generated"]
            self.helper = _helper(*(f for f in self.layout if f != "shows_generated"))


class DecisionForm(WorkspaceForm):
    layout = ("text",)
    text = TextField(
        label="Decision",
        max_length=_max_length(Decision, "text"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what was decided."},
    )

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class ActionForm(forms.Form):
    """An action: what, who (initials or names) and, optionally, by when."""

    text = TextField(
        label="Action",
        max_length=_max_length(Action, "text"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what is to be done."},
    )
    reference = forms.CharField(
        label="Ref.",
        required=False,
        max_length=_max_length(Action, "reference"),
        help_text="Optional, as the minutes number it, e.g. “2.10”.",
    )
    owners = forms.CharField(
        label="Owners",
        max_length=300,
        help_text="Initials or full names, joined as the minutes print them: “TG & BM”, "
        "“TG and BM” or “SH, Martin Ferguson”.",
        error_messages={"required": "Say who will do this: their initials or name."},
    )
    due_date = forms.DateField(
        label="Due by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Optional.",
    )
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices)

    def __init__(self, *args, meeting: Meeting, with_status: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        details = [
            Column("reference", css_class="col-sm-3 col-md-2"),
            Column("owners", css_class="col-sm-9 col-md-4"),
            Column("due_date", css_class="col-sm-6 col-md-3"),
            Column("status", css_class="col-sm-6 col-md-3"),
        ]
        if not with_status:
            del self.fields["status"]
            details.pop()
        self.helper = _helper("text", Row(*details))

    def clean_reference(self) -> str:
        return " ".join(self.cleaned_data["reference"].split())

    def clean_owners(self) -> list[Person]:
        typed = self.cleaned_data["owners"]
        owners = people_named(typed)
        if not owners:
            raise ValidationError(self.fields["owners"].error_messages["required"])
        self.cleaned_data["owners_as_written"] = owners_as_written(typed, owners)
        return owners

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if why := Action.due_date_problem(due, self.meeting):
            raise ValidationError(why)
        return due

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {
            "reference": action.reference,
            "text": action.text,
            "owners": action.owner_initials,
            "due_date": action.due_date,
            "status": action.status,
        }


# -- The action log -------------------------------------------------------------------


class CloseActionForm(WorkspaceForm):
    """Mark an action done or withdrawn; the button pressed gives the status."""

    layout = ("note",)

    status = forms.ChoiceField(
        choices=[(Action.Status.DONE, "Done"), (Action.Status.WITHDRAWN, "Withdrawn")],
        widget=forms.HiddenInput,
    )
    note = TextField(
        label="Note",
        required=False,
        max_length=_max_length(Action, "closing_note"),
        help_text="Optional, e.g. what was done or why it is no longer needed.",
    )


class ActionFilterForm(forms.Form):
    """Which actions the log shows. Bad values fall back to the defaults."""

    OVERDUE = "overdue"
    ALL = "all"
    STATUS_CHOICES = [
        (Action.Status.OPEN, "Open"),
        (OVERDUE, "Overdue"),
        (Action.Status.DONE, "Done"),
        (Action.Status.WITHDRAWN, "Withdrawn"),
        (ALL, "All"),
    ]

    status = forms.ChoiceField(label="Show", choices=STATUS_CHOICES, required=False)
    owner = forms.ModelChoiceField(
        label="Owner", queryset=Person.objects.none(), required=False, empty_label="Anyone"
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda p: f"{p.full_name} ({p.initials})"
        self.helper = _helper(
            Row(Column("status", css_class="col-sm-auto"), Column("owner", css_class="col-sm-auto"))
        )

    def filters(self) -> tuple[str, Person | None]:
        if not self.is_valid():
            return Action.Status.OPEN, None
        return self.cleaned_data["status"] or Action.Status.OPEN, self.cleaned_data["owner"]


# -- Approve, publish, correct, circulate ---------------------------------------------


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return date_format(obj.date, "l j F Y")


class ApproveForm(WorkspaceForm):
    """How the minutes were agreed: at a later meeting, at one not recorded here, by
    correspondence, on a date, or (minutes kept before Minutebook) in their own words."""

    layout = ("how", "at_meeting", "on", "wording")
    DATED = (Minutes.Approval.AT_UNRECORDED_MEETING, Minutes.Approval.BY_CORRESPONDENCE)

    how = forms.ChoiceField(
        label="How were they approved?",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (Minutes.Approval.AT_MEETING, "At a later meeting recorded here"),
            (Minutes.Approval.AT_UNRECORDED_MEETING, "At a meeting not recorded here"),
            (Minutes.Approval.BY_CORRESPONDENCE, "By correspondence (email or post)"),
            (Minutes.Approval.ON_DATE, "On a date, nothing more to say"),
            (Minutes.Approval.AS_WRITTEN, "In the original minutes’ own words"),
        ],
    )
    at_meeting = MeetingChoiceField(
        label="Approved at the meeting of",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Not at a meeting recorded here",
        help_text="The later meeting whose “Minutes of the last meeting” item agreed them.",
    )
    on = forms.DateField(
        label="Approved on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Needed for “On a date”; optional at a meeting not recorded here, by "
        "correspondence or in the original words.",
    )
    wording = forms.CharField(
        label="The original words of approval",
        required=False,
        max_length=_max_length(Minutes, "approval_wording"),
        help_text="Printed as the minutes’ status line, e.g. “Signed by the Chair as a correct "
        "record, 3 March 2015”.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = Meeting.objects.after(meeting)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        how, at_meeting, on = cleaned.get("how"), cleaned.get("at_meeting"), cleaned.get("on")
        wording = " ".join(cleaned.get("wording", "").split())
        cleaned["wording"] = wording
        if not how:
            # Chosen by what was filled in, as before there was a choice.
            how = Minutes.Approval.AT_MEETING if at_meeting else Minutes.Approval.ON_DATE
            if at_meeting and on:
                self.add_error("on", "Choose the meeting or give a date, not both.")
            elif not at_meeting and not on:
                self.add_error(
                    "at_meeting", "Choose the meeting that approved them, or give a date."
                )
        elif how == Minutes.Approval.AT_MEETING:
            if not at_meeting:
                self.add_error("at_meeting", "Choose the meeting that approved them.")
            if on:
                self.add_error("on", "Choose the meeting or give a date, not both.")
        else:
            if at_meeting:
                self.add_error(
                    "at_meeting", "Leave the meeting empty: they were not approved at it."
                )
            if how == Minutes.Approval.ON_DATE and not on:
                self.add_error("on", "Give the date on which they were approved.")
            if how == Minutes.Approval.AS_WRITTEN and not wording:
                self.add_error("wording", "Type the words with which the minutes record approval.")
        if how != Minutes.Approval.AS_WRITTEN:
            cleaned["wording"] = ""
        cleaned["how"] = how
        return cleaned

    @property
    def field_for_workflow_error(self) -> str:
        if self.cleaned_data.get("how") == Minutes.Approval.AS_WRITTEN:
            return "wording"
        return "on" if self.cleaned_data.get("on") else "at_meeting"


class ReturnToDraftForm(WorkspaceForm):
    layout = ("note",)
    note = TextField(
        label="Why",
        required=False,
        max_length=_max_length(MinutesEvent, "note"),
        help_text="Optional; kept in the history.",
    )


class CorrectionForm(WorkspaceForm):
    layout = ("reason",)
    reason = TextField(
        label="Reason for the correction",
        max_length=_max_length(MinutesVersion, "reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Printed on the corrected minutes, e.g. “Item 3: Ian Cooper’s name misspelt”.",
        error_messages={"required": "Say why the minutes are being corrected."},
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(self.fields["reason"].error_messages["required"])
        return reason


class ConfirmForm(WorkspaceForm):
    """A step that needs nothing but a yes."""


# -- Search ----------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """A period of meetings, both ends optional (GET). A problem is reported next to its
    field, and what was typed is kept."""

    date_from = forms.DateField(
        label="Meetings from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        # Point each field with a problem at the message beside it.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs |= {
                    "class": self.fields[name].widget.attrs["class"] + " is-invalid",
                    "aria-invalid": "true",
                    "aria-describedby": f"error_{name}",
                }

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "The end of the period cannot be before its start.")
        return cleaned


class StatisticsForm(PeriodForm):
    """The period a statistics page covers: the last twelve months unless asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = Period.last_twelve_months()
        self.fields["date_from"].widget.attrs["placeholder"] = default.start.isoformat()
        self.fields["date_to"].widget.attrs["placeholder"] = default.end.isoformat()

    def period(self) -> Period:
        """The period asked for, the gaps filled from the last twelve months."""
        data = getattr(self, "cleaned_data", {})  # unbound: the default period
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            return Period(start=start, end=end)
        if end:  # the twelve months to it
            return Period.last_twelve_months(end)
        default = Period.last_twelve_months()
        if start:  # to today, or a year on from a start still to come
            return Period(start=start, end=max(default.end, start + datetime.timedelta(days=364)))
        return default


class SearchForm(PeriodForm):
    """What a reader asks of the search page (GET). Filters that make no sense are
    reported next to their field; the words are never lost."""

    field_order = ["q", "kind", "committee", "date_from", "date_to", "page"]

    q = forms.CharField(label="Search for", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everything"), *SearchEntry.Kind.choices],
    )
    committee = forms.ModelChoiceField(
        label="Committee",
        queryset=Committee.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label="All committees",
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.readable_by(user).order_by("name")

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
