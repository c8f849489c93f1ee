from django.apps import AppConfig

from aiom.governance import policy_sections


class MonitoringConfig(AppConfig):
    name = "aiom.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: AI incidents and post-deployment monitoring"

    def ready(self) -> None:
        from aiom.monitoring.policy import MonitoringRules

        policy_sections.register("monitoring", MonitoringRules)
        # The use-case page shows the use case's incidents and monitoring plan.
        from aiom.monitoring.panel import panel_context
        from aiom.portfolio import panels

        panels.register("monitoring", "monitoring/_panel.html", panel_context, order=60)
