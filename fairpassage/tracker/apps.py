from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "fairpassage.tracker"
    label = "tracker"
    verbose_name = _("Recommendation tracker")
    default_auto_field = "django.db.models.BigAutoField"
