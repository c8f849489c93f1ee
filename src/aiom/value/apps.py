from django.apps import AppConfig

from aiom.governance import policy_sections


class ValueConfig(AppConfig):
    name = "aiom.value"
    label = "value"
    verbose_name = "Value: KPIs, measurements, adoption, feedback, priorities, analytics"

    def ready(self) -> None:
        from aiom.value.policy import AnalyticsRules, Prioritisation

        policy_sections.register("prioritisation", Prioritisation, optional=True)
        policy_sections.register("analytics", AnalyticsRules)
        from django.db.models.signals import post_delete, post_save

        from aiom.core import audit
        from aiom.insights.analytics import facts
        from aiom.value.views import register_panel

        audit.listen(facts.on_audit)
        register_panel()
        for model in facts.SOURCES:
            post_save.connect(facts.on_save, sender=model, dispatch_uid=f"facts.{model.__name__}")
            post_delete.connect(
                facts.on_save, sender=model, dispatch_uid=f"facts.del.{model.__name__}"
            )
