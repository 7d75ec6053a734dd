from django.urls import path, register_converter

from config.converters import IsoDateConverter
from minutes import feeds, views

register_converter(IsoDateConverter, "isodate")

app_name = "minutes"

meeting = "committees/<slug:slug>/<isodate:date>/"

urlpatterns = [
    path("committees/", views.committee_list, name="committees"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee"),
    path("committees/<slug:slug>/feed/", feeds.PublishedMinutesFeed(), name="feed"),
    path(meeting, views.meeting_detail, name="meeting"),
    path(meeting + "minutes.pdf", views.minutes_pdf, name="pdf"),
    path(meeting + "minutes/v<int:number>/", views.version_detail, name="version"),
    path(meeting + "minutes/v<int:number>.pdf", views.version_pdf, name="version_pdf"),
    path(meeting + "minutes/draft/", views.draft_detail, name="draft"),
    path(meeting + "minutes/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("search/", views.search, name="search"),
    path("my/actions/", views.my_actions, name="my_actions"),
]
