from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortfolioConfig(AppConfig):
    name = "aiom.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio: use cases and strategic themes"

    def ready(self) -> None:
        from aiom.portfolio import audit_visibility, panels
        from aiom.portfolio.views import timeline_context

        post_migrate.connect(_default_themes, sender=self)
        panels.register("summary", "portfolio/_summary.html", None, order=0)
        panels.register("timeline", "portfolio/_timeline.html", timeline_context, order=1000)
        # Who may read the audit events of use cases and themes.
        audit_visibility.register()


def _default_themes(sender: AppConfig, **kwargs: Any) -> None:
    """A new installation starts with the five default strategic themes (audited)."""
    from aiom.portfolio.services import ensure_default_themes

    ensure_default_themes(actor=None)
