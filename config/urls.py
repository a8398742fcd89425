from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from config.api import api, not_found

urlpatterns = [
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>(?s:.*))$", not_found),  # any rest, line breaks included
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("fairpassage.channels.webhook_urls")),
]
urlpatterns += i18n_patterns(
    path("", include("fairpassage.web.urls")),
    path("", include("fairpassage.checks.urls")),
    path("", include("fairpassage.registry.urls")),
    path("", include("fairpassage.cases.urls")),
    path("", include("fairpassage.surveys.urls")),
    path("", include("fairpassage.knowledge.urls")),
    path("", include("fairpassage.tracker.urls")),
    path("", include("fairpassage.mfa.urls")),
    path("", include("fairpassage.core.urls")),
    path("", include("fairpassage.channels.dialogue.urls")),
    path("", include("fairpassage.channels.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler404 = "fairpassage.web.views.page_not_found"
handler500 = "fairpassage.web.views.server_error"
