from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "jiandu.leads"
    label = "leads"
    verbose_name = _("问题线索")
    default_auto_field = "django.db.models.BigAutoField"
