from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from config.converters import IsoDateConverter
from config.views import healthz, readyz
from minutes import views as minutes_views

admin.site.site_header = "Minutebook administration"
admin.site.site_title = "Minutebook admin"
admin.site.index_title = "Committees, meetings and minutes"

# Meeting URLs carry their date: /committees/socitm-futures/2009-11-16/. Registered
# here, once, before the apps' URLs that use it are included.
register_converter(IsoDateConverter, "isodate")

# A busy database met outside a view (saving the session, say) is a 503 too, not a 500.
handler500 = "config.busy.handler500"

urlpatterns = [
    path("", minutes_views.home, name="home"),
    path("", include("minutes.urls")),
    path("", include("members.urls")),
    path("", include("meetings.urls")),
    path("", include("outbox.urls")),
    # Password reset links use the site's public address, like every other email.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"site_url": settings.SITE_URL},
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            extra_context={"reset_timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}
        ),
        name="password_reset_done",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("minutes.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
