from django.urls import path

from members import views

app_name = "members"

committee = "workspace/committees/<slug:slug>/"
member = committee + "members/<int:person_pk>/"

urlpatterns = [
    # Setting up, in the secretariat's workspace. Before the meetings app's URLs, so that
    # "committees/new/" is not taken for a committee's slug ("new" is never given as one).
    path("workspace/committees/new/", views.committee_new, name="committee_new"),
    path(committee + "edit/", views.committee_edit, name="committee_edit"),
    path(committee + "members/", views.committee_members, name="committee_members"),
    path(
        committee + "members/import/",
        views.committee_members_import,
        name="committee_members_import",
    ),
    path(member + "invite/", views.invitation_send, name="invitation_send"),
    path(member + "invite/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("workspace/memberships/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("workspace/people/", views.people, name="people"),
    path("workspace/people/new/", views.person_new, name="person_new"),
    path("workspace/people/<int:pk>/", views.person_edit, name="person_edit"),
    path("workspace/organisations/", views.organisations, name="organisations"),
    path("workspace/organisations/new/", views.organisation_new, name="organisation_new"),
    path("workspace/organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    # The invited person's page: the link in their email.
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
]
