from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "aiom.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: AI incidents and post-deployment monitoring"
