from django.urls import path

from meetings import calendar, views

app_name = "meetings"

committee = "workspace/committees/<slug:slug>/"
meeting = "workspace/meetings/<int:pk>/"
item = meeting + "agenda/items/<int:item_pk>/"

urlpatterns = [
    # The secretariat's workspace.
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/venues/", views.venues, name="venues"),
    path("workspace/venues/new/", views.venue_new, name="venue_new"),
    path("workspace/venues/<int:pk>/", views.venue_edit, name="venue_edit"),
    path(committee, views.committee_workspace, name="committee_workspace"),
    path(committee + "meetings/new/", views.meeting_schedule, name="meeting_schedule"),
    path(
        committee + "meetings/series/",
        views.meeting_schedule_series,
        name="meeting_schedule_series",
    ),
    path(meeting, views.meeting_workspace, name="meeting_workspace"),
    path(meeting + "edit/", views.meeting_edit, name="meeting_edit"),
    path(meeting + "cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(meeting + "move/", views.meeting_move, name="meeting_move"),
    path(meeting + "agenda/", views.agenda_workspace, name="agenda_workspace"),
    path(meeting + "agenda/start/", views.agenda_start, name="agenda_start"),
    path(meeting + "agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path(meeting + "agenda/withdraw/", views.agenda_withdraw, name="agenda_withdraw"),
    path(meeting + "agenda/items/new/", views.agenda_item_new, name="agenda_item_new"),
    path(item, views.agenda_item_edit, name="agenda_item_edit"),
    path(item + "move/", views.agenda_item_move, name="agenda_item_move"),
    path(item + "delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path(meeting + "attendance/", views.attendance, name="attendance"),
    path(meeting + "attendance/guests/", views.guest_new, name="guest_new"),
    path(
        meeting + "attendance/<int:person_pk>/",
        views.attendance_person,
        name="attendance_person",
    ),
    path(
        meeting + "attendance/<int:person_pk>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path("committees/<slug:slug>/meetings.ics", calendar.committee_calendar, name="calendar"),
    # The published agenda, beside the meeting's minutes.
    path("committees/<slug:slug>/<isodate:date>/agenda/", views.agenda, name="agenda"),
    path("committees/<slug:slug>/<isodate:date>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
]
