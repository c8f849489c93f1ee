from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "aiom.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: AI incidents and post-deployment monitoring"

    def ready(self) -> None:
        # The use-case page shows the use case's incidents and monitoring plan; the sweep
        # finds monitoring reviews overdue and KPIs outside their thresholds.
        from aiom.monitoring import findings
        from aiom.monitoring.panel import register_panel

        register_panel()
        findings.register()
