from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fairpassage.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_tasks.signals import task_finished  # noqa: PLC0415

        from fairpassage.core import queue  # noqa: PLC0415

        task_finished.connect(queue._on_task_finished, dispatch_uid="fairpassage-task-failed")


class SiteAdminConfig(admin_apps.AdminConfig):
    """Django's admin app with our admin site (``core/admin_site.py``) as ``admin.site``."""

    default = False  # named in INSTALLED_APPS; ``fairpassage.core`` itself stays CoreConfig
    default_site = "fairpassage.core.admin_site.SiteAdmin"
