"""Panels other apps add to the use-case page, registered in their AppConfig.ready().

A panel is a template (included in `portfolio/detail.html` after the built-in panels) and
a function giving the context it needs for one use case and one viewer. Keeping the list
here means a new domain app shows itself on the use-case page without editing portfolio.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

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


def answer(
    request: HttpRequest,
    use_case: UseCase,
    key: str,
    *,
    error: str = "",
    done: str = "",
    anchor: str = "",
    **forms: Any,
) -> HttpResponse:
    """A panel's reply to one of its forms: over htmx the panel again, its context's `key`
    entry carrying `error` (status 422) or `done` and any bound `forms` to show again;
    otherwise the use-case page (at `anchor`) with the message."""
    panel = PANELS[key]
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if htmx:
        context = panel.context(request, use_case)
        context[key].update(error=error, done=done, **forms)
        return render(request, panel.template, context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("portfolio:detail", args=[use_case.pk]) + anchor)
