from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("workspace/", views.workspace, name="workspace"),
    path(
        "workspace/committees/<slug:slug>/", views.committee_workspace, name="committee_workspace"
    ),
    path("workspace/meetings/<int:pk>/", views.meeting_workspace, name="meeting_workspace"),
]
