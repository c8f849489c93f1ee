from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "aiom.similarity"
    label = "similarity"
    verbose_name = "Silo detection: similar use cases across org units"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from aiom.core import audit
        from aiom.portfolio.models import UseCase
        from aiom.similarity import panels, tasks

        audit.listen(tasks.on_audit)
        panels.register()  # links to related use cases on the use-case page
        post_save.connect(tasks.on_use_case_change, sender=UseCase, dispatch_uid="similarity.save")
        post_delete.connect(
            tasks.on_use_case_change, sender=UseCase, dispatch_uid="similarity.delete"
        )
