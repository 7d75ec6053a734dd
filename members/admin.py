"""The secretariat's admin for organisations, people, committees and their members."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count

from members.models import Committee, Membership, Organisation, Person
from members.roles import is_secretariat

User = get_user_model()


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "number_of_people"]
    search_fields = ["name", "short_name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("people"))

    @admin.display(description="People", ordering="people_count")
    def number_of_people(self, organisation):
        return organisation.people_count


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "initials", "known_as", "organisation", "login"]
    list_filter = ["organisation"]
    list_select_related = ["organisation", "user"]
    search_fields = ["given_name", "family_name", "initials", "known_as"]
    autocomplete_fields = ["organisation", "user"]
    fields = [
        ("given_name", "family_name"),
        ("initials", "known_as"),
        "email",
        "organisation",
        "user",
    ]

    @admin.display(description="Name", ordering="family_name")
    def full_name(self, person):
        return person.full_name

    @admin.display(description="Login", ordering="user__username", empty_value="—")
    def login(self, person):
        return person.user and person.user.get_username()


def rows_repeat(formset, key) -> bool:
    """True if two rows the formset keeps share ``key(row's cleaned data)``; None never clashes.

    For uniqueness that Django does not check in inline formsets: constraints
    with a condition that include the parent, such as one open role per person.
    """
    seen = set()
    for form in formset.forms:
        row = getattr(form, "cleaned_data", None)
        if not row or row.get("DELETE"):
            continue
        value = key(row)
        if value is not None and value in seen:
            return True
        seen.add(value)
    return False


def open_role(row):
    """A seat held until further notice: one per person, committee and role."""
    if row.get("person") and not row.get("end_date"):
        return (row["person"], row.get("role"))
    return None


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if rows_repeat(self, open_role):
            raise ValidationError("This person already holds this role on the committee.")


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    fields = ["person", "role", "start_date", "end_date"]
    autocomplete_fields = ["person"]
    extra = 1


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "parent_body", "minutes_visibility"]
    list_filter = ["minutes_visibility"]
    search_fields = ["name", "parent_body"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["default_venue"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "committee", "role", "start_date", "end_date"]
    list_filter = ["committee", "role"]
    list_select_related = ["person", "committee"]
    search_fields = ["person__given_name", "person__family_name", "person__initials"]
    autocomplete_fields = ["person", "committee"]


class LoginAdmin(UserAdmin):
    """Logins stay the superuser's to change; the secretariat may look them up.

    Linking a person to their login (the autocomplete on the person page) asks
    for permission to view logins, which the Secretariat group does not hold.
    """

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_secretariat(request.user)


admin.site.unregister(User)
admin.site.register(User, LoginAdmin)
