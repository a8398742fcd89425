from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "fairpassage.registry"
    label = "registry"
    verbose_name = _("Agency registry")
    default_auto_field = "django.db.models.BigAutoField"
