"""The policy page for administrators: the policy in force, readably, and a draft to try.

Validate and Simulate answer htmx with the result partial (the whole page without
JavaScript); Activate is a plain form post that needs a ticked confirmation. The simulation
here covers every use case: only administrators reach this page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from aiom.core.errors import PermissionDenied
from aiom.core.htmx import HtmxHttpRequest
from aiom.governance.models import PolicyVersion
from aiom.governance.policy import versions as policies
from aiom.governance.policy.schema import Policy, PolicyError, Tier
from aiom.governance.policy.simulate import LABELS, simulate
from aiom.governance.reviews.structure import eligible_scopes
from aiom.lifecycle.gate_registry import describe
from aiom.organisation.access import access_for
from aiom.organisation.models import Role

SCOPE_WORDS = {"global": "central reviewers", "unit": "reviewers of its unit or above"}
TIERS: tuple[Tier, ...] = ("low", "medium", "high")
MAX_ROWS = 200  # per table in the page; the API and `aiom policy simulate --json` have all


def _require_admin(request: HttpRequest) -> None:
    if not access_for(request.user).is_admin:
        raise PermissionDenied("Only administrators manage the governance policy.")


def readable(policy: Policy) -> dict[str, Any]:
    """The policy regrouped for reading: transitions with their gates, questions by section."""
    labels = {s.key: s.label for s in policy.stages}
    transitions = []
    for source, targets in policy.transitions.items():
        for target in targets:
            gate = policy.gate(source, target)
            checks = [(c.check, describe(c.check), c.params) for c in gate.requires]
            transitions.append(
                {
                    "source": labels.get(source, source),
                    "target": labels.get(target, target),
                    "checks": checks,
                    "gate": gate,
                }
            )
    sections: dict[str, list[Any]] = {}
    for q in policy.questionnaire:
        sections.setdefault(q.section, []).append(q)
    tiers = []
    starts: dict[str, float] = {str(k): v for k, v in policy.scoring.thresholds.items()}
    for tier in TIERS:
        path = policy.approval_paths[tier]
        scopes = sorted(eligible_scopes(policy.structure, tier))
        tiers.append(
            {
                "tier": tier,
                "starts_at": starts.get(tier, 0.0),
                "approvers": [(Role(a.role).label, a.count) for a in path.approvers],
                "sla_days": path.sla_days,
                "cadence": policy.review_cadence_days[tier],
                "who": " or ".join(SCOPE_WORDS[s] for s in scopes),
            }
        )
    impact_max = sum(q.max_weight() for q in policy.questionnaire if q.kind == "impact")
    return {
        "policy": policy,
        "transitions": transitions,
        "sections": list(sections.items()),
        "tiers": tiers,
        "impact_max": impact_max,
        "override_roles": [Role(r).label for r in policy.override_roles],
    }


def _page(request: HttpRequest, draft: str, result: dict[str, Any], status: int) -> HttpResponse:
    active = policies.active_policy()
    versions = PolicyVersion.objects.select_related("activated_by").defer("content")[:50]
    context = {
        **readable(active.policy),
        "active": active,
        "current": versions[0] if versions else None,
        "versions": versions,
        "draft": draft,
        "result": result,
    }
    return render(request, "governance/policy.html", context, status=status)


@login_required
def policy_page(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    content = PolicyVersion.objects.values_list("content", flat=True).first() or ""
    return _page(request, content, {}, 200)


def _invalid(problems: list[str]) -> str:
    return f"The draft is not a valid policy ({len(problems)} problem{pluralize(problems)}):"


def _try(request: HtmxHttpRequest, mode: str) -> HttpResponse:
    _require_admin(request)
    draft = request.POST.get("content", "")
    result: dict[str, Any] = {"mode": mode, "problems": []}
    try:
        policy = policies.load_text(draft)
    except PolicyError as exc:
        result.update(problems=exc.problems, heading=_invalid(exc.problems))
    else:
        result["policy"] = policy
        if mode == "simulate":
            sim = simulate(policy)
            summary = sim.summary()
            result["sim"] = sim
            result["summary"] = [(LABELS[k], n) for k, n in summary.items() if k != "use_cases"]
            result["max_rows"] = MAX_ROWS
    status = 422 if result["problems"] else 200
    if request.htmx:
        return render(request, "governance/policy.html#result", {"result": result}, status=status)
    return _page(request, draft, result, status)


@login_required
@require_POST
def policy_validate(request: HtmxHttpRequest) -> HttpResponse:
    return _try(request, "validate")


@login_required
@require_POST
def policy_simulate(request: HtmxHttpRequest) -> HttpResponse:
    return _try(request, "simulate")


@login_required
@require_POST
def policy_activate(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    draft = request.POST.get("content", "")
    note = request.POST.get("note", "").strip()
    result: dict[str, Any] = {"mode": "activate", "problems": []}
    try:
        policies.load_text(draft)
    except PolicyError as exc:
        result.update(problems=exc.problems, heading=_invalid(exc.problems))
    if not result["problems"] and request.POST.get("confirm") != "yes":
        result.update(
            heading="Not activated.",
            problems=["Tick the confirmation box to put this draft in force."],
        )
    if result["problems"]:
        return _page(request, draft, result, 422)
    before = policies.active_policy().version
    row = policies.activate(actor=request.user, text=draft, note=note)
    if row.version == before:
        messages.info(request, f"Unchanged: policy v{row.version} already has this content.")
    else:
        messages.success(request, f"Policy v{row.version} “{row.name}” is now in force.")
    return redirect("policy:page")
