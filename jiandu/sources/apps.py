from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "jiandu.sources"
    label = "sources"
    verbose_name = "数据汇聚"

    def ready(self) -> None:
        from jiandu.jobs.recovery import job_model_register
        from jiandu.sources.models import Delivery

        job_model_register(Delivery, kind="报送")
