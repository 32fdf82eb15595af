from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Tracking of long jobs (deliveries, scans): who runs them, and recovery when that process died."""

    name = "jiandu.jobs"
    label = "jobs"
    verbose_name = "后台作业"
