from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "fairpassage.checks"
    label = "checks"
    verbose_name = _("Fee checks")
    default_auto_field = "django.db.models.BigAutoField"
