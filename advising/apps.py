from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisingConfig(AppConfig):
    name = "advising"
    verbose_name = _("Advising")

    def ready(self):
        from . import signals  # noqa: F401  (a new student gets a mentor by rule)
