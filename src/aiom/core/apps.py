from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "aiom.core"
    label = "core"
    verbose_name = "Core: audit trail, tokens, request context"

    def ready(self) -> None:
        from aiom.core import audit_key  # noqa: F401 - registers its system check
        from aiom.core.text import refuse_bad_text

        # Every model's text, whichever app it belongs to: no control characters.
        pre_save.connect(refuse_bad_text, dispatch_uid="aiom.core.text.refuse_bad_text")
