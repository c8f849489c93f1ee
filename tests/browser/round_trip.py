"""Which page routes edit an existing object, and how to open and read back each one.

The routes that take a POST are discovered from the URL configuration (those the
authorization matrix classifies as written to, or exempts); each must be in EDITS (opened
on a filled object and saved unchanged in Chromium), in AGAIN (a prefilled form whose every
save is a new dated record by design: saved unchanged, the new record repeats the latest
one) or in NOT_EDITS with the reason.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from aiom.core.models import AuditEvent
from tests.browser.filled import Filled
from tests.security.authz.discover import page_routes
from tests.security.authz.routes import ROUTES


@dataclass(frozen=True)
class Edit:
    name: str
    page: Callable[[Filled], str]  # the page that renders the form
    action: Callable[[Filled], str | None]  # where the form posts (None: to the page itself)
    rows: Callable[[Filled], list[models.Model]]  # what saving it unchanged must not change


def _uc(f: Filled) -> str:
    return f"/use-cases/{f.use_case.pk}/"


def _record(kind: str, attr: str, sparse: int | None = None) -> Edit:
    """A vendor, model or platform of the registry (`attr` names it on Filled), or the
    `sparse` one (only its required fields)."""

    def record(f: Filled) -> models.Model:
        found: models.Model = getattr(f, attr) if sparse is None else f.sparse[sparse]
        return found

    return Edit(
        kind if sparse is None else f"{kind} (required fields only)",
        lambda f: f"/registry/{kind}/{record(f).pk}/edit/",
        lambda f: None,
        lambda f: [record(f)],
    )


EDITS: dict[str, list[Edit]] = {
    "use-cases/<int:pk>/edit/": [
        Edit("use case", lambda f: f"{_uc(f)}edit/", lambda f: None, lambda f: [f.use_case])
    ],
    "themes/<int:pk>/edit/": [
        Edit("theme", lambda f: f"/themes/{f.theme.pk}/edit/", lambda f: None, lambda f: [f.theme])
    ],
    "data-products/<int:pk>/edit/": [
        Edit(
            "data product",
            lambda f: f"/data-products/{f.product.pk}/edit/",
            lambda f: None,
            lambda f: [f.product],
        ),
        Edit(
            "retired data product",
            lambda f: f"/data-products/{f.retired.pk}/edit/",
            lambda f: None,
            lambda f: [f.retired],
        ),
    ],
    "registry/<str:kind>/<int:pk>/edit/": [
        _record("vendors", "vendor"),
        _record("models", "model"),
        _record("platforms", "platform"),
        _record("vendors", "vendor", sparse=0),
        _record("models", "model", sparse=1),
        _record("platforms", "platform", sparse=2),
    ],
    "use-cases/<int:pk>/pilot-plan/": [
        Edit("pilot plan", lambda f: f"{_uc(f)}pilot-plan/", lambda f: None, lambda f: [f.pilot])
    ],
    "change/use-cases/<int:pk>/plan/": [
        Edit(
            "change plan",
            _uc,
            lambda f: f"/change/use-cases/{f.use_case.pk}/plan/",
            lambda f: [f.change_plan],
        )
    ],
    "change/groups/<int:group_id>/": [
        Edit(
            "stakeholder group",
            _uc,
            lambda f: f"/change/groups/{f.group.pk}/",
            lambda f: [f.group],
        )
    ],
    "use-cases/<int:pk>/monitoring/plan/": [
        Edit(
            "monitoring plan",
            _uc,
            lambda f: f"{_uc(f)}monitoring/plan/",
            lambda f: [f.monitoring_plan],
        )
    ],
    "incidents/<int:pk>/status/": [
        Edit(
            "incident status",
            lambda f: f"/incidents/{f.incident.pk}/",
            lambda f: f"/incidents/{f.incident.pk}/status/",
            lambda f: [f.incident],
        )
    ],
    "use-cases/<int:pk>/obligations/<slug:key>/status/": [
        Edit(
            "obligation status",
            _uc,
            lambda f: f"{_uc(f)}obligations/{f.obligation}/status/",
            lambda f: list(f.use_case.obligation_statuses.filter(obligation=f.obligation)),
        )
    ],
}


@dataclass(frozen=True)
class Again:
    name: str
    page: Callable[[Filled], str]  # the page that renders the prefilled form (posting to itself)
    latest: Callable[[Filled], tuple[int, Any]]  # the latest record: its id and its content


def _assessment(f: Filled) -> tuple[int, Any]:
    from aiom.governance.assessments.services import current_assessment

    found = current_assessment(f.use_case)
    assert found is not None
    return found.pk, found.answers


def _maturity(f: Filled) -> tuple[int, Any]:
    from aiom.insights.maturity.services import latest

    found = latest(None)
    assert found is not None
    return found.pk, found.answers


AGAIN: dict[str, list[Again]] = {
    "use-cases/<int:pk>/assessment/": [
        Again("risk assessment", lambda f: f"{_uc(f)}assessment/", _assessment)
    ],
    "maturity/self-assessment/": [
        Again("maturity self-assessment", lambda f: "/maturity/self-assessment/", _maturity)
    ],
}

ADDS = "adds a new record; nothing existing is edited"
RECORDS = "records a new dated entry (history, not an edit of one)"
ONE_CLICK = "a one-click action button with no fields to lose"
NOT_EDITS: dict[str, str] = {
    "login/": "signs in",
    "logout/": "signs out",
    "oidc/authenticate/": "single sign-on hand-off",
    "oidc/callback/": "single sign-on hand-off",
    "use-cases/new/": ADDS,
    "data-products/new/": ADDS,
    "registry/<str:kind>/new/": ADDS,
    "incidents/new/": ADDS,
    "audit/verify/": "verifies the audit chain; writes nothing",
    "use-cases/<int:pk>/assessment/override/": "a tier override: a decision with its reason",
    "use-cases/<int:pk>/assessment/lowering/confirm/": "a second person confirms a lower tier",
    "use-cases/<int:pk>/assessment/lowering/reject/": "a second person rejects a lower tier",
    "use-cases/<int:pk>/gate-overrides/": "overrides a gate check with a reason: a decision",
    "policy/validate/": "checks a draft policy; writes nothing",
    "policy/simulate/": "simulates a draft policy; writes nothing",
    "policy/activate/": "activates a new policy version",
    "use-cases/<int:pk>/move/": "a stage move through the gate",
    "use-cases/<int:pk>/request-review/": "requests a review",
    "use-cases/<int:pk>/pilot-plan/extend/": RECORDS + ": a pilot extension with its reason",
    "reviews/<int:pk>/": "a review decision",
    "use-cases/<int:pk>/kpis/": ADDS,
    "use-cases/<int:pk>/measurements/": RECORDS,
    "use-cases/<int:pk>/measurements/import/": ADDS + " (a CSV import)",
    "use-cases/<int:pk>/adoption/": RECORDS,
    "use-cases/<int:pk>/feedback/": RECORDS,
    "use-cases/<int:pk>/priority/": RECORDS + ": a priority score with its rationale",
    "data-products/<int:pk>/retire/": "retires the product with a reason",
    "data-products/<int:pk>/quality/": RECORDS + ": a quality check",
    "use-cases/<int:pk>/data-products/": ADDS + " (a link)",
    "use-cases/<int:pk>/data-products/<int:product_id>/unlink/": "removes a link",
    "import/": "uploads an inventory file for a preview",
    "import/confirm/": ADDS + " (an inventory import)",
    "use-cases/similar-panel/": "suggests similar use cases while one is typed; writes nothing",
    "silos/link/": ADDS + " (a link)",
    "use-cases/<int:pk>/links/": ADDS + " (a link)",
    "use-cases/<int:pk>/links/<int:link_id>/delete/": "removes a link",
    "literacy/people/<int:user_id>/": ADDS + " (a training record)",
    "literacy/import/": ADDS + " (a CSV import)",
    "change/use-cases/<int:pk>/groups/": ADDS,
    "change/groups/<int:group_id>/remove/": "removes a group",
    "change/groups/<int:group_id>/interventions/": ADDS,
    "change/interventions/<int:pk>/status/": ONE_CLICK + " (done / planned again)",
    "change/interventions/<int:pk>/remove/": "removes an intervention",
    "use-cases/<int:pk>/obligations/<slug:key>/evidence/": ADDS + " (evidence)",
    "use-cases/<int:pk>/technology/": ADDS + " (a link)",
    "use-cases/<int:pk>/technology/<str:kind>/<int:target>/unlink/": "removes a link",
    "incidents/<int:pk>/confirm-severity/": "confirms (or re-grades) the severity: a decision",
    "review-conditions/<int:pk>/close/": ONE_CLICK + " (closes a condition of an approval)",
    "incidents/<int:pk>/actions/": ADDS,
    "incidents/<int:pk>/actions/<int:action_id>/done/": ONE_CLICK,
    "use-cases/<int:pk>/monitoring/checks/": ADDS,
    "use-cases/<int:pk>/monitoring/reviews/": RECORDS + ": a monitoring review",
    "use-cases/<int:pk>/publication/": (
        "records a new publication decision; the form proposes reversing the current one"
    ),
}


def post_routes() -> list[str]:
    """Page routes that take a POST: written to in the authorization matrix, exempt from
    it, or not classified there yet (so a new route is never silently skipped here)."""
    out = []
    for route in page_routes():
        known = ROUTES.get(route)
        if known is None or known.write is not None or known.exempt:
            out.append(route)
    return out


def state(rows: list[models.Model]) -> list[dict[str, Any]]:
    """Every stored field of each row, read back from the database, many-to-many included."""
    out = []
    for row in rows:
        fresh = type(row)._default_manager.get(pk=row.pk)
        values = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
        for m2m in fresh._meta.many_to_many:
            values[m2m.name] = sorted(getattr(fresh, m2m.name).values_list("pk", flat=True))
        out.append({"model": fresh._meta.label, **values})
    return out


def differences(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    out = []
    for was, now in zip(before, after, strict=True):
        for key in was:
            if was[key] != now[key]:
                out.append(f"{was['model']}.{key}: {was[key]!r} became {now[key]!r}")
    return out


def audit_head() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def events_since(seq: int) -> list[str]:
    found = AuditEvent.objects.filter(seq__gt=seq).order_by("seq")
    out = []
    for e in found:
        before, after = e.before or {}, e.after or {}
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        diff = ", ".join(changed) if changed else "an empty diff"
        out.append(f"audit event {e.action} {e.object_type}#{e.object_id} ({diff})")
    return out
