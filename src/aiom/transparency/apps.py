from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "aiom.transparency"
    label = "transparency"
    verbose_name = "Transparency: the public register of published use cases"

    def ready(self) -> None:
        from aiom.core import audit
        from aiom.transparency.approval import reopen_changed
        from aiom.transparency.views import register_panel

        register_panel()
        # A change to a published use case re-opens its publication, in the same write.
        audit.listen(reopen_changed)
