from django.contrib import admin
from django.urls import include, path, register_converter

from config.converters import IsoDateConverter
from config.views import healthz
from minutes import views as minutes_views

admin.site.site_header = "Minutebook administration"
admin.site.site_title = "Minutebook admin"
admin.site.index_title = "Committees, meetings and minutes"

# Meeting URLs carry their date: /committees/socitm-futures/2009-11-16/. Registered
# here, once, before the apps' URLs that use it are included.
register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", minutes_views.home, name="home"),
    path("", include("minutes.urls")),
    path("", include("meetings.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
