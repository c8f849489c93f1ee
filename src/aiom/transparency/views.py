"""Internal pages: the publication panel on the use-case page, its form, the decisions list.

The panel shows every internal viewer whether the use case is published and why (or why
not); the form shows to the roles that decide. External partners see no panel.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.core.htmx import HtmxHttpRequest
from aiom.organisation.access import access_for
from aiom.portfolio import panels
from aiom.portfolio.access import use_case_for
from aiom.portfolio.models import UseCase
from aiom.transparency import services
from aiom.transparency.forms import DecisionForm
from aiom.transparency.models import PublicationDecision
from aiom.transparency.rules import Facts, verdict

HISTORY = 10


def panel_context(
    request: HttpRequest, use_case: UseCase, form: DecisionForm | None = None
) -> dict[str, Any]:
    """What `transparency/_panel.html` needs, under one key: `transparency`."""
    if not access_for(request.user).is_internal:
        return {"transparency": {"show": False}}
    _, rules, publishable = services.transparency_rules()
    history = list(
        PublicationDecision.objects.filter(use_case=use_case).select_related("decided_by")[:HISTORY]
    )
    current = history[0] if history else None
    facts = Facts(
        stage=use_case.stage,
        confidential=use_case.confidential,
        decision=current.publish if current else None,
    )
    can_decide = services.may_decide(request.user, use_case, rules)
    if can_decide and form is None:
        # The form starts from the decision in force (re-approving after a re-opening, or
        # amending the summary, must not flip it); a first decision starts from publishing.
        initial = {"publish": "no" if current and not current.publish else "yes"}
        if current:
            initial.update(
                public_summary=current.public_summary,
                human_oversight=current.human_oversight,
                oversight_mode=current.oversight_mode,
                contact=current.contact,
            )
        form = DecisionForm(initial=initial)
    return {
        "transparency": {
            "show": True,
            "use_case": use_case,
            "verdict": verdict(facts, publishable),
            "current": current,
            "history": history,
            "form": form if can_decide else None,
        }
    }


def register_panel() -> None:
    """Show this panel on the use-case page (called by TransparencyConfig.ready)."""
    panels.register("transparency", "transparency/_panel.html", panel_context, order=200)


@login_required
@require_POST
def decide(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Record a decision; htmx gets the panel again (422 with the reasons on a refusal),
    a plain form post the whole use-case page (422) or a redirect back to it."""
    uc = use_case_for(request, pk).use_case
    _, rules, _ = services.transparency_rules()
    if not services.may_decide(request.user, uc, rules):
        raise PermissionDenied("you may not decide what is published about this use case")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_publication(actor=request.user, use_case=uc, **form.cleaned_data)
        except InvalidInput as exc:
            exc.add_to(form)
    if form.errors:
        refused = "The decision was not recorded."
        return panels.answer(request, uc, "transparency", error=refused, whole_page=True, form=form)
    return panels.answer(request, uc, "transparency", done="Decision recorded.")


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    """Every decision on a use case this user may see, newest first."""
    if not access_for(request.user).is_internal:
        raise PermissionDenied("publication decisions are for internal users")
    found = (
        PublicationDecision.objects.visible_to(request.user)
        .select_related("use_case", "decided_by")
        .order_by("-decided_at", "-pk")
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "transparency/decisions.html", {"page": page, "section": "transparency"})
