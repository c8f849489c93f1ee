from django.apps import AppConfig

from aiom.governance import policy_sections


class MonitoringConfig(AppConfig):
    name = "aiom.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: AI incidents and post-deployment monitoring"

    def ready(self) -> None:
        from aiom.monitoring import findings
        from aiom.monitoring.panel import register_panel
        from aiom.monitoring.policy import MonitoringRules
        from aiom.monitoring.review_section import register as register_review_section

        policy_sections.register("monitoring", MonitoringRules)
        # The use-case page shows the use case's incidents and monitoring plan; the sweep
        # finds monitoring reviews overdue and KPIs outside their thresholds; a review's
        # brief shows the open incidents.
        register_panel()
        findings.register()
        register_review_section()
