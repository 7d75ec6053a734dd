"""Forms for the secretariat's workspace. They validate and normalise; services act."""

import datetime

from crispy_forms.layout import Field, Fieldset, Row
from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Recurrence,
    SheetRow,
    Venue,
    clash_message,
    validate_meeting_date,
)
from members.forms import DATE_WIDGET, TIME_WIDGET, PersonPickForm, detour_button
from members.forms import helper as _helper
from members.forms import row as _row
from members.models import Committee, Membership, Person


def _times_row() -> Row:
    return _row("start_time", "end_time")


class TimesMixin:
    """A meeting ends after it starts; say so at the end time."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The meeting must end after it starts.")
        return cleaned


VENUE_HELP = "The committee’s usual venue is chosen to start with."


def _venue_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Venue.objects.all(), required=False, empty_label="No venue yet", help_text=VENUE_HELP
    )


class MeetingScheduleForm(TimesMixin, forms.ModelForm):
    """One meeting: when and where."""

    class Meta:
        model = Meeting
        fields = ["date", "start_time", "end_time", "venue"]
        widgets = {"date": DATE_WIDGET, "start_time": TIME_WIDGET, "end_time": TIME_WIDGET}
        help_texts = {"start_time": "24-hour clock, e.g. 10:30.", "venue": VENUE_HELP}

    def __init__(self, *args, **kwargs):
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        self.fields["venue"].empty_label = "No venue yet"
        if self.instance._state.adding:
            # A new meeting starts from the committee's usual time and place.
            committee = self.instance.committee
            usual = {
                "venue": committee.default_venue_id,
                "start_time": committee.usual_start_time,
                "end_time": committee.usual_end_time,
            }
            self.initial.update({name: v for name, v in usual.items() if name not in given})
        extra = [
            name
            for name in ("status", "reference", "next_meeting_text", "item_numbering")
            if name in self.fields
        ]
        self.helper = _helper(
            "date",
            _times_row(),
            "venue",
            detour_button("venue", "Add a venue that is not in the list"),
            *extra,
        )


class MeetingEditForm(MeetingScheduleForm):
    """Correct a meeting's details, including its status."""

    class Meta(MeetingScheduleForm.Meta):
        fields = [
            *MeetingScheduleForm.Meta.fields,
            "status",
            "reference",
            "next_meeting_text",
            "item_numbering",
        ]
        help_texts = {
            **MeetingScheduleForm.Meta.help_texts,
            "status": "Changing the status here tells nobody. To tell members, use "
            "“Cancel the meeting” or “Move the meeting”.",
        }
        labels = {
            "item_numbering": "Agenda item numbers",
            "next_meeting_text": "Next meeting, in words",
        }
        widgets = {**MeetingScheduleForm.Meta.widgets, "item_numbering": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left unanswered, the numbering stays as it is.
        self.fields["item_numbering"].required = False

    def clean_reference(self):
        return " ".join(self.cleaned_data["reference"].split())

    def clean_next_meeting_text(self):
        return " ".join(self.cleaned_data["next_meeting_text"].split())


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Members see this beside the meeting and in the email, "
        "e.g. “Too few members could attend”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason")


class MeetingMoveForm(TimesMixin, forms.Form):
    date = forms.DateField(label="New date", widget=DATE_WIDGET, validators=[validate_meeting_date])
    start_time = forms.TimeField(required=False, widget=TIME_WIDGET)
    end_time = forms.TimeField(required=False, widget=TIME_WIDGET)
    venue = _venue_field()
    reason = forms.CharField(
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Members see “Moved from <the old date>: <your reason>” beside the meeting.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        initial = {
            "date": meeting.date,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "venue": meeting.venue_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.meeting = meeting
        self.helper = _helper("date", _times_row(), "venue", "reason")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if why := Meeting.objects.clash(self.meeting.committee, [date], exclude=self.meeting):
            raise forms.ValidationError(why, code="clash")
        return date


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["name", "building", "address", "notes"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_row("name", "building"), "address", "notes")


# -- A series of meetings -----------------------------------------------------------

MONTHS = [(n, date_format(datetime.date(2000, n, 1), "F")) for n in range(1, 13)]
WEEKDAYS = [(n, date_format(datetime.date(2001, 1, 1 + n), "l")) for n in range(7)]
OCCURRENCES = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]


class SeriesDetailsForm(TimesMixin, forms.Form):
    """What every meeting of a series shares: its times and venue."""

    start_time = forms.TimeField(required=False, widget=TIME_WIDGET, help_text="e.g. 10:30.")
    end_time = forms.TimeField(required=False, widget=TIME_WIDGET)
    venue = _venue_field()

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        if not self.is_bound:
            self.initial.setdefault("venue", committee.default_venue_id)
        self.helper = _helper(_times_row(), "venue")


class SeriesRuleForm(SeriesDetailsForm):
    """Step 1: the rule the dates follow."""

    start_month = forms.TypedChoiceField(label="First month", choices=MONTHS, coerce=int)
    start_year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    every_months = forms.IntegerField(
        label="Every … months",
        min_value=1,
        max_value=12,
        initial=2,
        help_text="1 for every month, 2 for every second month, 3 for quarterly.",
    )
    occurrence = forms.TypedChoiceField(label="Which", choices=OCCURRENCES, coerce=int, initial=3)
    weekday = forms.TypedChoiceField(label="Day of the week", choices=WEEKDAYS, coerce=int)
    count = forms.IntegerField(
        label="Number of meetings",
        required=False,
        min_value=1,
        max_value=Recurrence.MAX_MEETINGS,
    )
    until = forms.DateField(
        label="Or until",
        required=False,
        widget=DATE_WIDGET,
        help_text="Give a number of meetings, an end date, or both (the series stops at "
        "whichever comes first).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        next_year = timezone.localdate().year + 1
        self.initial.setdefault("start_month", 1)
        self.initial.setdefault("start_year", next_year)
        self.initial.setdefault("count", 6)
        self.helper = _helper(
            Fieldset(
                "When",
                _row("occurrence", "weekday", "every_months"),
                _row("start_month", "start_year"),
                _row("count", "until"),
            ),
            Fieldset("Time and place", _times_row(), Field("venue")),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        count, until = cleaned.get("count"), cleaned.get("until")
        if not count and not until:
            self.add_error("count", "Give a number of meetings or an end date.")
            return cleaned
        rule = Recurrence(
            first_month=datetime.date(cleaned["start_year"], cleaned["start_month"], 1),
            every_months=cleaned["every_months"],
            weekday=cleaned["weekday"],
            occurrence=cleaned["occurrence"],
        )
        dates = rule.dates(count=count, until=until)
        if len(dates) > Recurrence.MAX_MEETINGS:
            self.add_error(
                "until",
                f"That makes more than {Recurrence.MAX_MEETINGS} meetings: "
                "choose an earlier end date or give a number of meetings.",
            )
        elif not dates:
            self.add_error("until", "No meeting falls before this date: choose a later one.")
        cleaned["dates"] = dates
        return cleaned


class SeriesDateForm(forms.Form):
    date = forms.DateField(
        label="Meeting date", widget=DATE_WIDGET, validators=[validate_meeting_date]
    )

    def long_date(self) -> str:
        """ "Monday 12 July 2010", when what is typed is a date (even one that clashes)."""
        try:
            date = self.fields["date"].to_python(self["date"].value())
        except forms.ValidationError:
            return ""
        return date_format(date, "l j F Y") if date else ""


class BaseSeriesDateFormSet(forms.BaseFormSet):
    """Step 2: the dates themselves, each editable or removable, one more to add.

    Dates the committee already meets on are flagged at the date.
    """

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee

    @classmethod
    def for_dates(cls, dates, *, committee: Committee) -> "BaseSeriesDateFormSet":
        """A formset holding ``dates`` as if just submitted, so clashes show at once."""
        prefix = cls.get_default_prefix()
        data = {
            f"{prefix}-TOTAL_FORMS": str(len(dates) + 1),
            f"{prefix}-INITIAL_FORMS": str(len(dates)),
        }
        for index, day in enumerate(dates):
            data[f"{prefix}-{index}-date"] = day.isoformat()
        return cls(data, committee=committee)

    def clean(self):
        if any(self.errors):
            return
        kept = [
            form for form in self.forms if form.has_changed() and not self._should_delete_form(form)
        ]
        if not kept:
            raise forms.ValidationError(
                "A series needs at least one date: add a date, or keep one you removed.",
                code="empty",
            )
        seen = {}
        for form in kept:
            date = form.cleaned_data["date"]
            if date in seen:
                form.add_error("date", "This date is in the list twice.")
            seen[date] = form
        for date in Meeting.objects.clashing(self.committee, seen):
            seen[date].add_error("date", clash_message(self.committee, [date]))
        self.dates = sorted(seen)


SeriesDateFormSet = forms.formset_factory(
    SeriesDateForm,
    formset=BaseSeriesDateFormSet,
    extra=0,
    can_delete=True,
    max_num=Recurrence.MAX_MEETINGS,
    validate_max=True,
)


# -- The agenda ---------------------------------------------------------------------


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "title",
            "kind",
            "parent",
            "presenter",
            "description",
            "previous_meeting",
        ]
        labels = {"parent": "Sub-item of", "kind": "Kind of item"}
        help_texts = {
            "number": "As the minutes print it: “7”, “7.1”, “23/045”; gaps are fine. Leave "
            "empty for an unnumbered item.",
            "description": "Shown on the agenda. Markdown: a blank line between paragraphs, "
            "“- ” at the start of a line for a bullet.",
            "previous_meeting": "For “Minutes of the last meeting”: whose minutes are "
            "considered. Left empty, the last meeting before this one.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting
        parents = meeting.agenda_items.top_level().order_by("position")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None: a main item"
        self.fields["previous_meeting"].queryset = Meeting.objects.before(meeting)
        self.fields["previous_meeting"].label_from_instance = lambda m: date_format(
            m.date, "l j F Y"
        )
        numbers = ["number"]
        if meeting.numbers_items_automatically:
            # Minutebook numbers the items; the meeting's details say how to type them instead.
            del self.fields["number"]
            numbers = []
        self.helper = _helper(
            *numbers,
            "title",
            _row("kind", "parent"),
            "presenter",
            "description",
            "previous_meeting",
        )

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split())
        others = self.instance.meeting.agenda_items.exclude(pk=self.instance.pk)
        taken = others.filter(number=number).first() if number else None
        if taken is not None:
            raise forms.ValidationError(
                f"“{taken.title}” already has the number {number}: give this item another."
            )
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AgendaItem.Kind.PREVIOUS_MINUTES:
            if not cleaned.get("previous_meeting"):
                cleaned["previous_meeting"] = self.fields["previous_meeting"].queryset.first()
        else:
            # Only that kind of item points at an earlier meeting.
            cleaned["previous_meeting"] = None
        return cleaned


# -- Attendance ---------------------------------------------------------------------


class AttendanceForm(forms.Form):
    """One radio group a person: present, apologies or absent.

    Rendered by hand as a table (one fieldset a row), not through crispy: the
    per-row layout and its htmx attributes are the page's, not a form's.
    A person left unmarked stays as they were.
    """

    def __init__(self, *args, rows: list[SheetRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[self.field_name(row.person)] = forms.ChoiceField(
                label=row.person.full_name,
                choices=Attendance.Status.choices,
                required=False,
                initial=row.status,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(person: Person) -> str:
        return f"person-{person.pk}"

    def bound_rows(self):
        return [(row, self[self.field_name(row.person)]) for row in self.rows]

    def statuses(self) -> dict[Person, str]:
        """What was marked, by person (unmarked people left out)."""
        return {
            row.person: self.cleaned_data[self.field_name(row.person)]
            for row in self.rows
            if self.cleaned_data.get(self.field_name(row.person))
        }


class GuestForm(PersonPickForm):
    """A guest: someone already known, or a new person with their organisation."""

    who = "guest"

    role = forms.CharField(
        max_length=100, required=False, help_text="Optional, e.g. “Guest presenter”."
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        # The committee's members are marked on the sheet itself, never added as guests.
        self.fields["person"].queryset = Person.objects.select_related("organisation").exclude(
            pk__in=Membership.objects.current()
            .filter(committee_id=meeting.committee_id)
            .values("person")
        )
        self.fields["person"].error_messages["invalid_choice"] = (
            "Members of the committee are marked in the list above, not added as guests."
        )
        self.helper = _helper(
            "person",
            Fieldset(
                "Or a new person",
                _row("given_name", "family_name", "initials"),
                _row("organisation", "organisation_name"),
            ),
            "role",
        )

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person is not None:
            recorded = self.meeting.attendances.filter(person=person).first()
            if recorded is not None:
                self.add_error(
                    "person",
                    f"{person.full_name} is already recorded at this meeting "
                    f"({recorded.get_status_display().lower()}). Change their mark in the list.",
                )
        return cleaned

    def guest(self) -> dict:
        """Keyword arguments for ``guest_add``."""
        data = dict(self.cleaned_data)
        if data["person"] is not None:
            return {"person": data["person"], "role": data["role"]}
        return data
