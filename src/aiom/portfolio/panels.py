"""Panels other apps add to the use-case page, registered in their AppConfig.ready().

A panel is a template (included in `portfolio/detail.html` after the built-in panels) and
a function giving the context it needs for one use case and one viewer. Keeping the list
here means a new domain app shows itself on the use-case page without editing portfolio.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from aiom.portfolio.models import UseCase

PanelContext = Callable[[HttpRequest, UseCase], dict[str, Any]]


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: PanelContext
    order: int = 100


PANELS: dict[str, Panel] = {}


def register(key: str, template: str, context: PanelContext, *, order: int = 100) -> None:
    """Show `template` on every use-case page, with `context(request, use_case)` merged in."""
    PANELS[key] = Panel(key, template, context, order)


def panels_for(request: HttpRequest, use_case: UseCase) -> tuple[dict[str, Any], list[str]]:
    """The merged context of every registered panel and their templates, in order."""
    context: dict[str, Any] = {}
    templates = []
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        context.update(panel.context(request, use_case))
        templates.append(panel.template)
    return context, templates
