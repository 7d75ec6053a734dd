"""Setting up in the workspace: committees, their members, people, organisations; members'
logins by invitation, one by one or from a list. The secretariat's alone, like the rest of the
workspace; the invitation's own page is the invited person's."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST, require_safe

from config.page_cache import kept_per_reader
from members import detours, services
from members.bulk import MembersImportForm, members_import, preview
from members.forms import (
    CommitteeForm,
    MembershipAddForm,
    MembershipForm,
    OrganisationForm,
    PersonForm,
)
from members.invitations import tokens
from members.models import Committee, Invitation, Membership, Organisation, Person
from members.pages import ListPages, form_page, perform, post_data, require_form_methods
from members.roles import secretariat_required


def _venue_detour(request):
    return detours.detour(request, to=reverse("meetings:venue_new"), field="default_venue")


# -- Committees ---------------------------------------------------------------------


@secretariat_required
@require_form_methods
def committee_new(request):
    if detours.wants_detour(request) == "venue":
        return _venue_detour(request)
    form = CommitteeForm(post_data(request), initial=detours.resumed(request))
    return form_page(
        request,
        form,
        lambda data: services.committee_create(**data),
        done=lambda committee: (
            f"Set up {committee}. Now add its members, one by one or from a list.",
            reverse("members:committee_members", args=[committee.slug]),
        ),
        page={
            "trail": [],
            "heading": "Set up a committee",
            "submit": "Set up the committee",
            "back_url": reverse("meetings:workspace"),
        },
    )


def _committee_or_404(slug) -> Committee:
    return get_object_or_404(Committee.objects.select_related("default_venue"), slug=slug)


@secretariat_required
@require_form_methods
def committee_edit(request, slug):
    committee = _committee_or_404(slug)
    if detours.wants_detour(request) == "venue":
        return _venue_detour(request)
    form = CommitteeForm(post_data(request), instance=committee, initial=detours.resumed(request))
    return form_page(
        request,
        form,
        lambda data: services.committee_update(committee=committee, **data),
        done=lambda committee: (
            f"Saved {committee}’s details.",
            reverse("meetings:committee_workspace", args=[committee.slug]),
        ),
        page={
            "committee": committee,
            "heading": f"Edit {committee}",
            "submit": "Save",
            "back": ("meetings:committee_workspace", committee.slug),
        },
    )


@secretariat_required
@require_form_methods
def committee_members(request, slug):
    """Who sits on the committee, in what role, and whether they can log in; add one more."""
    committee = _committee_or_404(slug)
    back = detours.next_url(request)
    form = MembershipAddForm(post_data(request), committee=committee)
    membership = perform(form, lambda data: services.membership_add(committee=committee, **data))
    if membership is not None:
        messages.success(
            request,
            f"Added {membership.person.full_name} to {committee} "
            f"({membership.get_role_display().lower()}).",
        )
        return redirect(back or reverse("members:committee_members", args=[committee.slug]))
    memberships = (
        committee.memberships.select_related("person__organisation", "person__user")
        .prefetch_related(
            Prefetch("person__invitation", queryset=Invitation.objects.select_related("email")),
        )
        .order_by("end_date", "person__family_name", "person__given_name", "role")
    )
    current_ids = set(memberships.current().values_list("pk", flat=True))
    return render(
        request,
        "members/workspace/committee_members.html",
        {
            "committee": committee,
            "current": [m for m in memberships if m.pk in current_ids],
            "former": [m for m in memberships if m.pk not in current_ids],
            "form": form,
            "next": back,
        },
    )


def _membership_or_404(pk) -> Membership:
    return get_object_or_404(Membership.objects.select_related("person", "committee"), pk=pk)


@secretariat_required
@require_form_methods
def membership_edit(request, pk):
    membership = _membership_or_404(pk)
    committee = membership.committee
    form = MembershipForm(post_data(request), instance=membership)
    return form_page(
        request,
        form,
        lambda data: services.membership_update(membership=membership, **data),
        done=lambda membership: (
            f"Saved {membership.person.full_name}’s membership.",
            reverse("members:committee_members", args=[committee.slug]),
        ),
        page={
            "trail": [
                (committee, reverse("meetings:committee_workspace", args=[committee.slug])),
                ("Members", reverse("members:committee_members", args=[committee.slug])),
            ],
            "heading": f"{membership.person.full_name} on {committee}",
            "submit": "Save",
            "back_url": reverse("members:committee_members", args=[committee.slug]),
        },
    )


# -- Invitations --------------------------------------------------------------------


def _member_of(committee_slug, person_pk) -> tuple[Committee, Person]:
    committee = _committee_or_404(committee_slug)
    person = get_object_or_404(
        Person.objects.select_related("user").filter(memberships__committee=committee).distinct(),
        pk=person_pk,
    )
    return committee, person


@secretariat_required
@require_POST
def invitation_send(request, slug, person_pk):
    """Invite, or invite again: a login and an emailed link to set its password."""
    committee, person = _member_of(slug, person_pk)
    try:
        invitation = services.invitation_send(person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Invited {person.full_name}: an email with a link to choose a password is on its "
            f"way to {invitation.sent_to}.",
        )
    return redirect("members:committee_members", committee.slug)


@secretariat_required
@require_POST
def invitation_revoke(request, slug, person_pk):
    committee, person = _member_of(slug, person_pk)
    invitation = get_object_or_404(Invitation, person=person)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, f"Revoked {person.full_name}’s invitation: the emailed link no longer works."
    )
    return redirect("members:committee_members", committee.slug)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invited person chooses a password from the emailed link, and is logged in.

    Django's password-reset page, with the invitation's own tokens and words.
    """

    token_generator = tokens
    template_name = "members/invitation_accept.html"
    reset_url_token = "choose-password"  # noqa: S105 (a URL segment, not a password)
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        self.invitation = user and Invitation.objects.filter(user=user).order_by("-sent_at").first()
        if self.invitation is None or not self.invitation.can_be_used:
            return None
        return user

    def form_valid(self, form):
        invitation = services.invitation_accept(
            invitation=self.invitation, password=form.cleaned_data["new_password1"]
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        auth_login(self.request, invitation.user, self.post_reset_login_backend)
        messages.success(
            self.request,
            f"Welcome, {invitation.person.given_name}. You are logged in as "
            f"{invitation.user.get_username()}: use this name and your new password next time.",
        )
        return HttpResponseRedirect(self.get_success_url())


invitation_accept = InvitationAcceptView.as_view()


# -- A list of members at once ----------------------------------------------------------


@secretariat_required
@require_form_methods
def committee_members_import(request, slug):
    """Paste or upload a CSV; see what would be created, matched or refused; then save."""
    committee = _committee_or_404(slug)
    form = MembersImportForm(post_data(request), request.FILES or None)
    rows = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["text"]
        if request.POST.get("action") == "save":
            result = members_import(committee=committee, text=text)
            messages.success(request, result.summary())
            return redirect("members:committee_members", committee.slug)
        rows = preview(committee=committee, text=text)
        # What is saved is what the preview showed: the list, now in the box.
        form = MembersImportForm(initial={"csv": text})
    return render(
        request,
        "members/workspace/members_import.html",
        {"committee": committee, "form": form, "rows": rows},
    )


# -- People and organisations -----------------------------------------------------------


@kept_per_reader
@secretariat_required
@require_safe
def people(request):
    """Everyone Minutebook knows, with their organisation, committees and login."""
    everyone = Person.objects.select_related("organisation", "user").annotate(
        committee_count=Count("memberships__committee", distinct=True)
    )
    return render(request, "members/workspace/people.html", {"people": everyone})


PEOPLE = ListPages(
    form=PersonForm,
    create=services.person_create,
    update=lambda person, **data: services.person_update(person=person, **data),
    list_url="members:people",
    trail="People",
    add="Add a person",
    add_submit="Add the person",
    added=lambda person: f"Added {person.full_name} ({person.initials}).",
    saved=lambda person: f"Saved {person.full_name}’s details.",
    heading=lambda person: f"Edit {person.full_name}",
)


person_new, person_edit = PEOPLE.views(Person.objects.select_related("organisation"))


@kept_per_reader
@secretariat_required
@require_safe
def organisations(request):
    everyone = Organisation.objects.annotate(people_count=Count("people"))
    return render(request, "members/workspace/organisations.html", {"organisations": everyone})


ORGANISATIONS = ListPages(
    form=OrganisationForm,
    create=services.organisation_create,
    update=lambda organisation, **data: services.organisation_update(
        organisation=organisation, **data
    ),
    list_url="members:organisations",
    trail="Organisations",
    add="Add an organisation",
    add_submit="Add the organisation",
    added=lambda organisation: f"Added {organisation.name}.",
    saved=lambda organisation: f"Saved {organisation.name}.",
    heading=lambda organisation: f"Edit {organisation.name}",
)


organisation_new, organisation_edit = ORGANISATIONS.views(Organisation.objects.all())
