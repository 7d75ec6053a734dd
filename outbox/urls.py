from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("workspace/meetings/<int:pk>/email/", views.meeting_emails, name="meeting_emails"),
    path("workspace/email/<int:pk>/retry/", views.email_retry, name="email_retry"),
]
