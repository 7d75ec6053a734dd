from django.contrib import admin
from django.urls import include, path

from config.views import healthz
from minutes import views as minutes_views

admin.site.site_header = "Minutebook administration"
admin.site.site_title = "Minutebook admin"
admin.site.index_title = "Committees, meetings and minutes"

urlpatterns = [
    path("", minutes_views.home, name="home"),
    path("", include("minutes.urls")),
    path("", include("meetings.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
