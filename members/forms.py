"""Forms for setting up committees, people and members in the workspace; and the pieces every
workspace form shares. They validate and normalise; services act."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms

from members.models import Committee, Membership, Organisation, Person
from members.validators import single_line

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def helper(*layout) -> FormHelper:
    """Our forms' helper: the template writes the <form> tag and its buttons."""
    form_helper = FormHelper()
    form_helper.form_tag = False
    form_helper.layout = Layout(*layout)
    return form_helper


def row(*names) -> Row:
    """Fields side by side, sharing the width, on wider screens."""
    width = 12 // len(names)
    return Row(*(Column(name, css_class=f"col-sm-{width}") for name in names))


def detour_button(what: str, label: str) -> HTML:
    """A submit button that keeps what is typed, goes to make ``what``, and comes back.

    A plain button, so it works without scripts; the view sees ``detour=<what>``.
    """
    return HTML(
        f'<button type="submit" name="detour" value="{what}" formnovalidate '
        f'class="btn btn-outline-secondary btn-sm mb-3">{label}</button>'
    )


def check_end_after_start(form, start: str, end: str, message: str) -> None:
    start_value, end_value = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if start_value and end_value and end_value <= start_value:
        form.add_error(end, message)


def check_initials_free(initials: str, *, exclude: Person | None = None) -> str:
    """Initials as stored (upper case), or an error naming who already uses them."""
    initials = initials.strip().upper()
    if initials:
        taken = Person.objects.by_initials(initials)
        if exclude is not None and exclude.pk:
            taken = taken.exclude(pk=exclude.pk)
        if holder := taken.first():
            raise forms.ValidationError(
                f"{holder.full_name} already uses the initials {initials}: choose others."
            )
    return initials


def person_choice(person: Person) -> str:
    """ "Ian Cooper (IC, Hampshire CC)": enough to tell two Ian Coopers apart."""
    details = [person.initials]
    if person.organisation:
        details.append(person.organisation.display_name)
    return f"{person.full_name} ({', '.join(details)})"


# -- Committees ---------------------------------------------------------------------


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = [
            "name",
            "parent_body",
            "minutes_visibility",
            "default_venue",
            "usual_start_time",
            "usual_end_time",
            "description",
            "attendee_order",
        ]
        labels = {
            "minutes_visibility": "Who may read the published minutes",
            "attendee_order": "The minutes list who came",
            "default_venue": "Usual venue",
            "usual_start_time": "Meetings usually start at",
            "usual_end_time": "and end at",
        }
        help_texts = {
            "name": "As the minutes print it, e.g. “Socitm Futures”.",
            "usual_start_time": "24-hour clock, e.g. 10:30. New meetings start from it.",
        }
        error_messages = {"name": {"unique": "A committee with this name already exists."}}
        widgets = {
            "minutes_visibility": forms.RadioSelect,
            "attendee_order": forms.RadioSelect,
            "usual_start_time": TIME_WIDGET,
            "usual_end_time": TIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_venue"].empty_label = "None yet"
        # Left unanswered, the order stays as it is.
        self.fields["attendee_order"].required = False
        self.helper = helper(
            row("name", "parent_body"),
            "minutes_visibility",
            "default_venue",
            detour_button("venue", "Add a venue that is not in the list"),
            row("usual_start_time", "usual_end_time"),
            "description",
            "attendee_order",
        )

    def clean_attendee_order(self):
        return self.cleaned_data["attendee_order"] or self.instance.attendee_order

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        check_end_after_start(
            self, "usual_start_time", "usual_end_time", "Meetings must end after they start."
        )
        return cleaned


# -- Organisations and people -------------------------------------------------------


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(row("name", "short_name"))

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class PersonForm(forms.ModelForm):
    organisation_name = forms.CharField(
        max_length=200, required=False, label="Or a new organisation", validators=[single_line]
    )

    class Meta:
        model = Person
        fields = ["given_name", "family_name", "initials", "known_as", "email", "organisation"]
        labels = {"known_as": "Short form"}
        help_texts = {"email": "For invitations, notices and circulated minutes."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].empty_label = "None"
        self.helper = helper(
            row("given_name", "family_name"),
            row("initials", "known_as"),
            "email",
            row("organisation", "organisation_name"),
        )

    def clean_initials(self):
        return check_initials_free(self.cleaned_data["initials"], exclude=self.instance)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("organisation_name"):
            self.add_error(
                "organisation_name", "Choose an organisation or type a new one, not both."
            )
        return cleaned


class PersonPickForm(forms.Form):
    """Someone already known, or a new person with their organisation.

    ``who`` names them in the messages ("Enter the guest’s given name.").
    """

    who = "person"
    new_person_fields = ("given_name", "family_name", "initials")

    person = forms.ModelChoiceField(
        Person.objects.select_related("organisation"),
        required=False,
        label="Someone already in Minutebook",
        empty_label="No: a new person",
    )
    given_name = forms.CharField(max_length=100, required=False, validators=[single_line])
    family_name = forms.CharField(max_length=100, required=False, validators=[single_line])
    initials = forms.CharField(
        max_length=6,
        required=False,
        help_text="Printed against actions; must be unique.",
        validators=[single_line],
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(), required=False, empty_label="Choose an organisation"
    )
    organisation_name = forms.CharField(
        max_length=200, required=False, label="Or a new organisation", validators=[single_line]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = person_choice

    def clean_initials(self):
        return check_initials_free(self.cleaned_data["initials"])

    def clean_organisation_name(self):
        return " ".join(self.cleaned_data["organisation_name"].split())

    def clean(self):
        cleaned = super().clean()
        typed = [name for name in self.new_person_fields if cleaned.get(name)]
        if cleaned.get("person") is not None:
            if typed:
                self.add_error(
                    "person", "Choose someone already known or enter a new person, not both."
                )
            return cleaned
        for name in self.new_person_fields:
            if name not in typed and name not in self.errors:
                self.add_error(name, f"Enter the {self.who}’s {self[name].label.lower()}.")
        if cleaned.get("organisation") and cleaned.get("organisation_name"):
            self.add_error(
                "organisation_name", "Choose an organisation or type a new one, not both."
            )
        return cleaned


# -- Memberships --------------------------------------------------------------------


class MembershipAddForm(PersonPickForm):
    """A seat on the committee, for someone known or a new person."""

    who = "member"

    email = forms.EmailField(required=False, help_text="Needed to invite them to log in.")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)
    start_date = forms.DateField(
        required=False, widget=DATE_WIDGET, help_text="Leave blank if not known."
    )
    end_date = forms.DateField(
        required=False, widget=DATE_WIDGET, help_text="Leave blank while current."
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.helper = helper(
            "person",
            Fieldset(
                "Or a new person",
                row("given_name", "family_name", "initials"),
                "email",
                row("organisation", "organisation_name"),
            ),
            Fieldset("Their seat", "role", row("start_date", "end_date")),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") is not None and cleaned.get("email"):
            self.add_error("email", "Change a known person’s address on their own page.")
        check_end_after_start(
            self, "start_date", "end_date", "A membership cannot end before it starts."
        )
        return cleaned


class MembershipForm(forms.ModelForm):
    """A seat's role and term."""

    class Meta:
        model = Membership
        fields = ["role", "start_date", "end_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {"end_date": "Give a date to end the membership; the record keeps it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper("role", row("start_date", "end_date"))

    def clean(self):
        cleaned = super().clean()
        check_end_after_start(
            self, "start_date", "end_date", "A membership cannot end before it starts."
        )
        return cleaned
