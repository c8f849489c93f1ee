from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from aiom.core import audit_hooks

USE_CASE = "portfolio.UseCase"  # a lazy sender: the model is resolved once portfolio loads


class SimilarityConfig(AppConfig):
    name = "aiom.similarity"
    label = "similarity"
    verbose_name = "Silo detection: similar use cases across org units"

    def ready(self) -> None:
        from aiom.similarity import tasks
        from aiom.similarity.views import register_panel

        audit_hooks.listen(tasks.on_audit)
        register_panel()
        post_save.connect(tasks.on_use_case_change, sender=USE_CASE, dispatch_uid="similarity.save")
        post_delete.connect(
            tasks.on_use_case_change, sender=USE_CASE, dispatch_uid="similarity.delete"
        )
