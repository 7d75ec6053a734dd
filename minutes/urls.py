from django.urls import path

from minutes import feeds, views, workspace_views
from minutes.api.tokens import api_token
from minutes.importing import views as importing_views

app_name = "minutes"

meeting = "committees/<slug:slug>/<isodate:date>/"
ws_meeting = "workspace/meetings/<int:pk>/"

urlpatterns = [
    path("committees/", views.committee_list, name="committees"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee"),
    path(
        "committees/<slug:slug>/statistics/",
        views.committee_statistics,
        name="committee_statistics",
    ),
    path(
        "committees/<slug:slug>/statistics/attendance.csv",
        views.committee_statistics,
        {"as_csv": True},
        name="committee_statistics_csv",
    ),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path(
        "people/<int:pk>/attendance.csv",
        views.person_detail,
        {"as_csv": True},
        name="person_csv",
    ),
    path("committees/<slug:slug>/feed/", feeds.PublishedMinutesFeed(), name="feed"),
    path(meeting, views.meeting_detail, name="meeting"),
    path(meeting + "minutes.pdf", views.minutes_pdf, name="pdf"),
    path(meeting + "minutes/v<int:number>/", views.version_detail, name="version"),
    path(meeting + "minutes/v<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path(meeting + "minutes/draft/", views.draft_detail, name="draft"),
    path(meeting + "original/", importing_views.original_document, name="original"),
    path(meeting + "minutes/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("search/", views.search, name="search"),
    path("search/results.csv", views.search, {"as_csv": True}, name="search_csv"),
    path("my/actions/", views.my_actions, name="my_actions"),
    path("my/api-token/", api_token, name="api_token"),
    # The secretariat's workspace: taking minutes, following up actions, the workflow.
    path(ws_meeting + "minutes/", workspace_views.take_minutes, name="take"),
    path(ws_meeting + "minutes/workflow/", workspace_views.workflow, name="workflow"),
    path(
        ws_meeting + "minutes/workflow/<slug:step>/",
        workspace_views.workflow_step,
        name="workflow_step",
    ),
    path(
        "workspace/items/<int:pk>/minute/",
        workspace_views.item_minute_save_view,
        name="item_minute_save",
    ),
    path(
        "workspace/items/<int:pk>/decisions/",
        workspace_views.decision_add_view,
        name="decision_add",
    ),
    path(
        "workspace/decisions/<int:pk>/",
        workspace_views.decision_update_view,
        name="decision_update",
    ),
    path(
        "workspace/decisions/<int:pk>/delete/",
        workspace_views.decision_delete_view,
        name="decision_delete",
    ),
    path("workspace/items/<int:pk>/actions/", workspace_views.action_add_view, name="action_add"),
    path("workspace/actions/<int:pk>/", workspace_views.action_update_view, name="action_update"),
    path(
        "workspace/actions/<int:pk>/delete/",
        workspace_views.action_delete_view,
        name="action_delete",
    ),
    path(
        "workspace/actions/<int:pk>/close/", workspace_views.action_close_view, name="action_close"
    ),
    path(
        "workspace/actions/<int:pk>/reopen/",
        workspace_views.action_reopen_view,
        name="action_reopen",
    ),
    path(
        "workspace/committees/<slug:slug>/import/",
        importing_views.import_start,
        name="import_start",
    ),
    path(
        "workspace/committees/<slug:slug>/import/files/",
        importing_views.import_list,
        name="import_list",
    ),
    path("workspace/imports/<int:pk>/", importing_views.import_review, name="import_review"),
    path(
        "workspace/committees/<slug:slug>/actions/",
        workspace_views.action_log,
        name="action_log",
    ),
    path(
        "workspace/committees/<slug:slug>/actions.csv",
        workspace_views.action_log_csv,
        name="action_log_csv",
    ),
]
