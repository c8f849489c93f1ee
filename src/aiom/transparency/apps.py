from django.apps import AppConfig

from aiom.core import audit_hooks
from aiom.governance import policy_sections


class TransparencyConfig(AppConfig):
    name = "aiom.transparency"
    label = "transparency"
    verbose_name = "Transparency: the public register of published use cases"

    def ready(self) -> None:
        from aiom.transparency.policy import TransparencyRules

        policy_sections.register("transparency", TransparencyRules)
        from aiom.transparency.approval import reopen_changed
        from aiom.transparency.views import register_panel

        register_panel()
        # A change to a published use case re-opens its publication, in the same write.
        audit_hooks.listen(reopen_changed)
