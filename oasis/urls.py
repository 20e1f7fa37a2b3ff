from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
from .i18n import set_language

admin.site.site_header = _("Oasis administration")
admin.site.site_title = _("Oasis admin")
admin.site.index_title = _("Work")

# allauth answers its own rate limits (sign-up, log-in, password reset) with
# this view, so they get the same page of the site as every other limit.
handler429 = views.ratelimited
# A database that cannot be reached answers the calm 503 page, not a 500.
handler500 = views.server_error

urlpatterns = [
    path("", include("proposals.site_urls")),
    path("healthz", views.healthz, name="healthz"),
    # Browsers and the admin ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("legal/", include("accounts.legal_urls")),
    path("proposals/", include("proposals.urls")),
    path("proposals/", include("pipeline.urls")),
    path("answers/", include("answers.urls")),
    path("debates/", include("debates.urls")),
    path("meetings/", include("meetings.urls")),
    path("adopted/", include("tracking.urls")),
    path("panel/", include("panel.urls")),
    path("awards/", include("awards.urls")),
    path("themes/", include("themes.urls")),
    path("polls/", include("polls.urls")),
    path("notifications/", include("notifications.urls")),
    path("stats/", include("stats.urls")),
    path("org/", include("institutions.urls")),
    path("open-data/", include("opendata.urls")),
    path("api/", include("api.urls")),
    path("", include("mileage.urls")),
    path("admin/", admin.site.urls),
]
