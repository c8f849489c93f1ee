"""The use-case page is a list of panels, each registered by the app that owns it.

A panel is a template and a function giving the context it needs for one use case and one
viewer; apps register theirs in AppConfig.ready() through `register` (the registry's
`use_case_panels` store), so a domain app shows itself on the use-case page without
portfolio knowing it. `portfolio/detail.html` shows the page head, then loops over the
panels in `order` (ties by key). Panels that name the same `row` sit side by side in one
row of columns, at the place of the row's first panel.

The page as shipped, by order: portfolio's summary (0), lifecycle's track and moves (10),
governance's risk assessment (20) beside lifecycle's pilot (25), value (30), catalogue's
data (33), similarity's links (36), obligations (40), change (50), monitoring and
technology (60), transparency (200), governance's reviews (900), portfolio's audit
timeline (1000).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from aiom.core import registry
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase

PanelContext = Callable[[HttpRequest, UseCase], dict[str, Any]]
STORE = "use_case_panels"
PAGE = "portfolio/detail.html"


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # None: the template reads only what the page and other panels give (`uc`, `can_edit`)
    context: PanelContext | None
    order: int = 100
    row: str = ""


@dataclass(frozen=True)
class PanelRow:
    """One row of the page: a panel alone, or panels side by side (`columns`)."""

    templates: tuple[str, ...]
    side_by_side: bool


def register(
    key: str,
    template: str,
    context: PanelContext | None,
    *,
    order: int = 100,
    row: str = "",
) -> None:
    """Show `template` on every use-case page, with `context(request, use_case)` merged in;
    a key registered twice is refused."""
    registry.add(STORE, key, Panel(key, template, context, order, row))


def registered() -> list[Panel]:
    return sorted(registry.entries(STORE).values(), key=lambda p: (p.order, p.key))


def rows(panels: list[Panel]) -> list[PanelRow]:
    """The panels in order, those of one `row` gathered at the first one's place."""
    grouped: dict[str, list[str]] = {}
    found: list[tuple[str, list[str]]] = []
    for panel in panels:
        if panel.row and panel.row in grouped:
            grouped[panel.row].append(panel.template)
            continue
        templates = [panel.template]
        if panel.row:
            grouped[panel.row] = templates
        found.append((panel.row, templates))
    return [PanelRow(tuple(templates), bool(row)) for row, templates in found]


def page_context(request: HttpRequest, use_case: UseCase) -> dict[str, Any]:
    """Everything the use-case page shows: the merged context of every panel, in order;
    views that answer a refusal with the whole page start from it."""
    panels = registered()
    context: dict[str, Any] = {}
    for panel in panels:
        if panel.context is not None:
            context.update(panel.context(request, use_case))
    return {
        **context,
        "panel_rows": rows(panels),
        "uc": use_case,
        "can_edit": permissions.can_edit(request.user, use_case),
    }


def answer(
    request: HttpRequest,
    use_case: UseCase,
    key: str,
    *,
    error: str = "",
    done: str = "",
    anchor: str = "",
    whole_page: bool = False,
    **forms: Any,
) -> HttpResponse:
    """A panel's reply to one of its forms: over htmx the panel again, its context's `key`
    entry carrying `error` (status 422) or `done` and any bound `forms` to show again;
    otherwise the use-case page (at `anchor`) with the message, or, for a refusal with
    `whole_page`, the use-case page itself (422) with the panel's bound forms."""
    panel: Panel = registry.entries(STORE)[key]
    if panel.context is None:
        raise registry.RegistryError(f"{STORE}: {key!r} has no context to answer with")
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if htmx or (error and whole_page):
        context = panel.context(request, use_case)
        context[key].update(error=error, done=done, **forms)
        status = 422 if error else 200
        if htmx:
            return render(request, panel.template, context, status=status)
        return render(request, PAGE, {**page_context(request, use_case), **context}, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("portfolio:detail", args=[use_case.pk]) + anchor)
