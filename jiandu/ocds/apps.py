from django.apps import AppConfig


class OcdsConfig(AppConfig):
    """Side tables of OCDS imports; the rest of jiandu.ocds is framework-free and needs no app."""

    name = "jiandu.ocds"
    label = "ocds"
    verbose_name = "开放合同数据（OCDS）"
    default_auto_field = "django.db.models.BigAutoField"
