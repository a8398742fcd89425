from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MfaConfig(AppConfig):
    name = "fairpassage.mfa"
    label = "mfa"
    verbose_name = _("Second factor")
    default_auto_field = "django.db.models.BigAutoField"
