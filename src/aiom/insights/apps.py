from django.apps import AppConfig

from aiom.core import audit_hooks


class InsightsConfig(AppConfig):
    name = "aiom.insights"
    label = "insights"
    verbose_name = "Insights: analytics, diagnostics, dashboard, board report, maturity"

    def ready(self) -> None:
        """Keep the facts read model (value.UseCaseFacts) in step with every write.

        Right after value in INSTALLED_APPS, so the listener runs where value's did.
        """
        from django.db.models.signals import post_delete, post_save

        from aiom.insights.analytics import facts

        audit_hooks.listen(facts.on_audit)
        for model in facts.SOURCES:
            post_save.connect(facts.on_save, sender=model, dispatch_uid=f"facts.{model.__name__}")
            post_delete.connect(
                facts.on_save, sender=model, dispatch_uid=f"facts.del.{model.__name__}"
            )
