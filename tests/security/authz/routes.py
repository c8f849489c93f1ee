"""Every page route and API operation, classified: what its path refers to, who may read,
who may write, and a minimal body for writes (authorisation is under test, not validation).

Classifying a new route is one line here; `test_coverage.py` fails naming any route or
operation missing from ROUTES, and any entry no longer routed.

Path parameters are filled by name (see PARAMS); a route whose path names a use case (or its
review, KPI, link or audit event) is requested for each of the three use cases
(`alice_uc`, `alice_secret`, `wealth_secret`). A `frozenset` rule on such a route is
intersected with who may see the use case; a mapping gives the personas per use case.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.answers import MEDIUM
from tests.security.authz.objects import Ctx
from tests.security.authz.rules import (
    ADMIN,
    ASSESS,
    CONFIRM,
    DECIDE,
    EDIT,
    FEEDBACK,
    INTERNAL,
    LINK,
    LOWERING,
    OVERRIDE,
    SCORE,
    SEE,
    SIGNED_IN,
    Who,
)

ANYONE = SIGNED_IN | {"anonymous"}

type Body = Callable[[Ctx, str | None], dict[str, Any]]

# path parameter -> the object it names (per use case label, else shared)
PARAMS = {
    "use_case_id": "use_case",
    "review_id": "review",
    "kpi_id": "kpi",
    "link_id": "link",
    "seq": "seq",
    "product_id": "product",
    "user_id": "person",
    "unit_id": "org_unit",
    "theme_id": "theme",
    "role_id": "role",
    "version": "version",
    "name": "name",
    "group_id": "change_group",
    "intervention_id": "intervention",
    "incident_id": "incident",
    "action_id": "action",
    "check_id": "check",
    "condition_id": "condition",
    "key": "obligation",
    "evidence_id": "evidence",
    "kind": "kind",
    "target": "model",
    "target_id": "model",
}
PER_USE_CASE = frozenset(
    {"use_case", "review", "kpi", "link", "seq"}
    | {"change_group", "intervention", "incident", "action", "check", "obligation", "evidence"}
    | {"condition"}
)


@dataclass(frozen=True)
class Route:
    get: Who | None = None  # who is answered 200 on GET; None: GET is not tested
    write: Who | None = None  # who may write (POST on pages; the operation's method on the API)
    body: Body | None = None
    pk: str = "use_case"  # what a page's <pk> names
    multipart: bool = False
    params: Mapping[str, str] = field(default_factory=dict)  # override PARAMS for this route
    read_ok: tuple[int, ...] = (200,)  # what an allowed read answers
    refused: tuple[int, ...] = (403, 404)  # how a visible object refuses (nothing may change)
    public: bool = False  # anonymous is not sent to the login page
    exempt: str = ""  # not part of the matrix, and why
    xfail: Mapping[str, str] = field(default_factory=dict)  # persona -> known leak (strict)


def page(get: Who | None = None, post: Who | None = None, **kw: Any) -> Route:
    return Route(get=get, write=post, **kw)


def read(who: Who, **kw: Any) -> Route:
    return Route(get=who, **kw)


def write(who: Who, body: Body | None = None, **kw: Any) -> Route:
    return Route(write=who, body=body, **kw)


def _today(days: int = 0) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def _csv(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("x.csv", b"kpi,measured_on,value\n", "text/csv")}


def _link(ctx: Ctx, label: str | None) -> dict[str, Any]:
    reason = "They solve the same problem twice."
    return {"target": ctx.shared["filler"], "kind": "duplicate_of", "reason": reason}


def _plan(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {"metric_0": "Hours", "baseline_0": "2", "target_0": "1", "ends_on": _today(60)}


def _extend(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {"ends_on": _today(100), "reason": "More data is needed first."}


def _measurement(ctx: Ctx, label: str | None) -> dict[str, Any]:
    assert label is not None
    return {"kpi": ctx.per_label[label]["kpi"], "measured_on": _today(), "value": "3"}


def _adoption(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {"period_start": _today(-30), "period_end": _today(-1), "active_users": 3, "usage": 9}


def _priority(ctx: Ctx, label: str | None) -> dict[str, Any]:
    keys = ["strategic_fit", "expected_benefit", "reach", "data_readiness"]
    keys += ["technical_complexity", "change_effort"]
    return {f"c_{k}": "3" for k in keys} | {"rationale": "Probing who may score."}


def _product(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {"data_product": ctx.shared["product"], "purpose": "probe"}


def _decision(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {"outcome": "approve", "rationale": "The mitigations are proportionate."}


def _gate_override(ctx: Ctx, label: str | None) -> dict[str, Any]:
    reason = "Probing who may let a failed gate check through."
    return {"to_stage": "scaling", "check": "exit_criteria_met", "reason": reason}


def _incident(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {
        "use_case": ctx.per_label["alice_secret"]["use_case"],
        "title": "Probe incident",
        "occurred_at": _today(-1) + "T10:00:00Z",
        "severity": "low",
    }


def _publish(ctx: Ctx, label: str | None) -> dict[str, Any]:
    return {"publish": "no", "rationale": "Probing who may decide publication."}


# The similarity and catalogue link forms answer a refusal with a redirect and a message.
REDIRECTS = (302, 403, 404)
R = Route
ROUTES: dict[str, Route] = {
    # ---- pages ------------------------------------------------------------------------
    "": page(ANYONE, read_ok=(302,), public=True),  # to the dashboard
    "login/": R(exempt="the login form itself"),
    "logout/": R(exempt="ends the session; nothing to authorise"),
    "use-cases/": page(SIGNED_IN),
    "use-cases/new/": page(INTERNAL, INTERNAL),
    "use-cases/<int:pk>/": page(SEE),
    "use-cases/<int:pk>/edit/": page(EDIT, EDIT),
    "org-units/": page(INTERNAL),
    "org-units/<int:pk>/": page(INTERNAL, pk="org_unit"),
    "people/": page(INTERNAL),
    "people/<int:pk>/": page(INTERNAL, pk="person"),
    "audit/": page(SIGNED_IN),
    "audit/verify/": page(post=ADMIN),
    "use-cases/<int:pk>/assessment/": page(ASSESS, ASSESS),
    "use-cases/<int:pk>/assessment/override/": page(post=OVERRIDE),
    "use-cases/<int:pk>/assessment/lowering/confirm/": page(post=LOWERING),
    "use-cases/<int:pk>/assessment/lowering/reject/": page(post=LOWERING),
    "policy/": page(ADMIN),
    "policy/validate/": page(post=ADMIN),
    "policy/simulate/": page(post=ADMIN),
    "policy/activate/": page(post=ADMIN),
    "use-cases/<int:pk>/move/": page(post=EDIT, body=lambda c, _: {"to_stage": "pilot"}),
    "use-cases/<int:pk>/request-review/": page(post=EDIT, body=lambda c, _: {"to_stage": "pilot"}),
    "use-cases/<int:pk>/pilot-plan/": page(SEE, EDIT, body=_plan),
    "use-cases/<int:pk>/pilot-plan/extend/": page(post=EDIT, body=_extend),
    "use-cases/<int:pk>/gate-overrides/": page(post=DECIDE, body=_gate_override),
    "review-conditions/<int:pk>/close/": page(
        post=ASSESS, pk="condition", body=lambda c, _: {"status": "met"}
    ),
    "reviews/": page(SIGNED_IN),
    "reviews/<int:pk>/": page(SEE, DECIDE, pk="review", body=_decision),
    "decisions/": page(SIGNED_IN),
    "diagnostics/": page(SIGNED_IN),
    "analytics/<slug:name>.csv": page(SIGNED_IN),
    "use-cases/<int:pk>/kpis/": page(post=EDIT, body=lambda c, _: {"name": "Probe"}),
    "use-cases/<int:pk>/measurements/": page(post=EDIT, body=_measurement),
    "use-cases/<int:pk>/measurements/import/": page(post=EDIT, body=_csv, multipart=True),
    "use-cases/<int:pk>/adoption/": page(post=EDIT, body=_adoption),
    "use-cases/<int:pk>/feedback/": page(post=FEEDBACK, body=lambda c, _: {"rating": "4"}),
    "use-cases/<int:pk>/priority/": page(post=SCORE, body=_priority),
    "backlog/": page(SIGNED_IN),
    "themes/": page(SIGNED_IN),
    "themes/<int:pk>/edit/": page(ADMIN, ADMIN, pk="theme"),
    "maturity/": page(INTERNAL),
    "maturity/self-assessment/": page(ADMIN, ADMIN),
    "data-products/": page(SIGNED_IN),
    "data-products/new/": page(ADMIN, ADMIN),
    "data-products/<int:pk>/": page(INTERNAL, pk="product"),
    "data-products/<int:pk>/edit/": page(ADMIN, ADMIN, pk="product"),
    "data-products/<int:pk>/retire/": page(
        post=ADMIN, pk="product", body=lambda c, _: {"reason": "Probing who may retire it."}
    ),
    "data-products/<int:pk>/quality/": page(
        post=ADMIN, pk="product", body=lambda c, _: {"score": "80"}
    ),
    "use-cases/<int:pk>/data-products/": page(SEE, EDIT, body=_product, refused=REDIRECTS),
    "use-cases/<int:pk>/data-products/<int:product_id>/unlink/": page(post=EDIT, refused=REDIRECTS),
    "import/": page(ADMIN, ADMIN),
    "import/confirm/": page(post=ADMIN),
    "import/jobs/": page(ADMIN),
    "import/jobs/<int:pk>/": page(ADMIN, pk="import_job"),
    "silos/": page(SIGNED_IN),  # clusters of what the reader may see
    "use-cases/similar-panel/": page(SIGNED_IN, SIGNED_IN),
    "silos/link/": page(
        post=frozenset({"alice", "ada"}),
        body=lambda c, _: _link(c, _) | {"source": c.per_label["alice_uc"]["use_case"]},
        refused=REDIRECTS,
    ),
    "use-cases/<int:pk>/links/": page(post=LINK, body=_link, refused=REDIRECTS),
    "use-cases/<int:pk>/links/<int:link_id>/delete/": page(post=LINK, refused=REDIRECTS),
    "literacy/": page(INTERNAL),
    "literacy/people/<int:user_id>/": page(frozenset({"alice", "ada"}), ADMIN),  # self, admin
    "literacy/import/": page(ADMIN, ADMIN),
    "dashboard/": page(INTERNAL),
    "reports/board/": page(INTERNAL),
    "reports/board.pdf": page(INTERNAL),
    # ---- pages of change, obligations, technology, monitoring, transparency ------------
    "healthz": page(ANYONE, public=True),
    "readyz": page(ANYONE, public=True, read_ok=(200, 503)),
    "oidc/authenticate/": R(exempt="single sign-on hand-off (tests/security/test_oidc.py)"),
    "oidc/callback/": R(exempt="single sign-on hand-off (tests/security/test_oidc.py)"),
    "change/": page(SIGNED_IN),
    "change/use-cases/<int:pk>/": page(SEE),
    "change/use-cases/<int:pk>/plan/": page(
        post=EDIT, body=lambda c, _: {"summary": "Probe", "status": "draft"}, refused=REDIRECTS
    ),
    "change/use-cases/<int:pk>/groups/": page(
        post=EDIT, body=lambda c, _: {"name": "Probe group", "size": "3"}, refused=REDIRECTS
    ),
    "change/groups/<int:group_id>/": page(
        post=EDIT, body=lambda c, _: {"name": "Probe group", "size": "3"}, refused=REDIRECTS
    ),
    "change/groups/<int:group_id>/remove/": page(post=EDIT, refused=REDIRECTS),
    "change/groups/<int:group_id>/interventions/": page(
        post=EDIT,
        body=lambda c, _: {"kind": "support", "description": "Probe"},
        refused=REDIRECTS,
    ),
    "change/interventions/<int:pk>/status/": page(
        post=EDIT, pk="intervention", body=lambda c, _: {"status": "done"}, refused=REDIRECTS
    ),
    "change/interventions/<int:pk>/remove/": page(post=EDIT, pk="intervention", refused=REDIRECTS),
    "obligations/": page(SIGNED_IN),
    "obligations/evidence/<int:evidence_id>/": page(SEE, read_ok=(200, 302, 404)),
    "use-cases/<int:pk>/obligations/": page(SEE),
    "use-cases/<int:pk>/obligations/<slug:key>/status/": page(
        post=ASSESS, body=lambda c, _: {"status": "met"}, refused=REDIRECTS
    ),
    "use-cases/<int:pk>/obligations/<slug:key>/evidence/": page(
        post=EDIT, body=lambda c, _: {"url": "https://example.com/e2"}, refused=REDIRECTS
    ),
    "registry/": page(SIGNED_IN),  # empty for partners
    "registry/models/<int:pk>/": page(INTERNAL, pk="model"),
    "registry/models/<int:pk>/card/": page(INTERNAL, pk="model"),
    "registry/models/<int:pk>/card.md": page(INTERNAL, pk="model"),
    "registry/models/<int:pk>/card.json": page(INTERNAL, pk="model"),
    "registry/platforms/<int:pk>/": page(INTERNAL, pk="platform"),
    # curators (admins, global AI experts) and a record's keeper
    "registry/<str:kind>/new/": page(ADMIN, ADMIN, params={"kind": "kinds"}),
    "registry/<str:kind>/<int:pk>/edit/": page(ADMIN, ADMIN, pk="model", params={"kind": "kinds"}),
    "registry/vendors/<int:pk>/": page(INTERNAL, pk="vendor"),
    "use-cases/<int:pk>/technology/": page(SEE, EDIT, refused=REDIRECTS),
    "use-cases/<int:pk>/technology/<str:kind>/<int:target>/unlink/": page(
        post=EDIT, refused=REDIRECTS
    ),
    "incidents/": page(SIGNED_IN),
    "incidents/new/": page(INTERNAL, INTERNAL),
    "incidents/<int:pk>/": page(SEE, pk="incident"),
    "incidents/<int:pk>/status/": page(
        post=ASSESS, pk="incident", body=lambda c, _: {"status": "investigating"}
    ),
    "incidents/<int:pk>/confirm-severity/": page(
        post=CONFIRM, pk="incident", body=lambda c, _: {"severity": "critical"}
    ),
    "incidents/<int:pk>/actions/": page(
        post=ASSESS, pk="incident", body=lambda c, _: {"description": "Probe"}
    ),
    "incidents/<int:pk>/actions/<int:action_id>/done/": page(post=ASSESS, pk="incident"),
    "use-cases/<int:pk>/monitoring/plan/": page(
        post=ASSESS, body=lambda c, _: {"review_every_days": "90"}, refused=REDIRECTS
    ),
    "use-cases/<int:pk>/monitoring/checks/": page(
        post=ASSESS,
        body=lambda c, _: {"kind": "other", "description": "Probe"},
        refused=REDIRECTS,
    ),
    "use-cases/<int:pk>/monitoring/reviews/": page(
        post=ASSESS, body=lambda c, _: {"outcome": "ok"}, refused=REDIRECTS
    ),
    "transparency/": page(ANYONE, public=True),
    "transparency/register.json": page(ANYONE, public=True),
    "transparency/register.csv": page(ANYONE, public=True),
    "transparency/register-omb-2025.csv": page(ANYONE, public=True),
    "transparency/decisions/": page(INTERNAL),
    "use-cases/<int:pk>/publication/": page(post=ADMIN, body=_publish),
    # ---- API --------------------------------------------------------------------------
    "GET /api/v1/use-cases": read(SIGNED_IN),
    "POST /api/v1/use-cases": write(
        INTERNAL,
        lambda c, _: {
            "title": "Authz probe",
            "org_unit": c.shared["org_unit"],
            "owner": c.shared["person"],
        },
    ),
    "GET /api/v1/use-cases/{use_case_id}": read(SEE),
    "PATCH /api/v1/use-cases/{use_case_id}": write(EDIT, lambda c, _: {"vendor": "Probe"}),
    "GET /api/v1/org-units": read(INTERNAL),
    "POST /api/v1/org-units": write(ADMIN, lambda c, _: {"name": "Probe unit"}),
    "GET /api/v1/org-units/{unit_id}": read(INTERNAL),
    "PATCH /api/v1/org-units/{unit_id}": write(ADMIN, lambda c, _: {"name": "Retail Probe"}),
    "GET /api/v1/people": read(INTERNAL),
    "POST /api/v1/people": write(ADMIN, lambda c, _: {"username": "probe"}),
    "GET /api/v1/people/{user_id}": read(INTERNAL),
    "GET /api/v1/people/search": read(INTERNAL),
    "PATCH /api/v1/people/{user_id}": write(ADMIN, lambda c, _: {"job_title": "Probe"}),
    "POST /api/v1/people/{user_id}/roles": write(ADMIN, lambda c, _: {"role": "data_steward"}),
    "DELETE /api/v1/people/{user_id}/roles/{role_id}": write(ADMIN),
    "GET /api/v1/themes": read(SIGNED_IN),
    "POST /api/v1/themes": write(ADMIN, lambda c, _: {"key": "probe", "name": "Probe"}),
    "GET /api/v1/themes/{theme_id}": read(SIGNED_IN),
    "PATCH /api/v1/themes/{theme_id}": write(ADMIN, lambda c, _: {"name": "Probe"}),
    "GET /api/v1/audit-events": read(SIGNED_IN),
    "GET /api/v1/audit-events/{seq}": read(SEE),
    "GET /api/v1/use-cases/{use_case_id}/assessments": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/assessments": write(
        ASSESS, lambda c, _: {"answers": MEDIUM}
    ),
    "GET /api/v1/use-cases/{use_case_id}/assessment": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/assessment/override": write(
        OVERRIDE,
        lambda c, _: {"tier": "high", "justification": "Probing who may override the tier."},
    ),
    "GET /api/v1/assessments/lowerings": read(SIGNED_IN),
    "POST /api/v1/use-cases/{use_case_id}/assessment/lowering/confirm": write(LOWERING),
    "POST /api/v1/use-cases/{use_case_id}/assessment/lowering/reject": write(
        LOWERING, lambda c, _: {"reason": "Probing who may keep the higher tier."}
    ),
    "GET /api/v1/policy/questionnaire": read(SIGNED_IN),
    "GET /api/v1/use-cases/{use_case_id}/lifecycle": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/transitions": write(
        EDIT, lambda c, _: {"to_stage": "pilot"}
    ),
    "GET /api/v1/use-cases/{use_case_id}/stage-changes": read(SEE),
    "PUT /api/v1/use-cases/{use_case_id}/pilot-plan": write(
        EDIT,
        lambda c, _: {
            "exit_criteria": [
                {"metric": "Hours", "baseline": 2, "target": 1, "direction": "lower"}
            ],
            "ends_on": _today(60),
        },
    ),
    "POST /api/v1/use-cases/{use_case_id}/pilot-plan/extensions": write(
        EDIT, lambda c, _: {"ends_on": _today(100), "reason": "More data is needed first."}
    ),
    "POST /api/v1/use-cases/{use_case_id}/reviews": write(EDIT, lambda c, _: {"to_stage": "pilot"}),
    "GET /api/v1/use-cases/{use_case_id}/reviews": read(SEE),
    "GET /api/v1/reviews": read(SIGNED_IN),
    "GET /api/v1/reviews/{review_id}": read(SEE),
    "POST /api/v1/reviews/{review_id}/decisions": write(DECIDE, _decision),
    "POST /api/v1/reviews/{review_id}/withdraw": write(EDIT),
    "POST /api/v1/review-conditions/{condition_id}/close": write(
        ASSESS, lambda c, _: {"status": "met"}
    ),
    "POST /api/v1/use-cases/{use_case_id}/gate-overrides": write(DECIDE, _gate_override),
    "GET /api/v1/use-cases/{use_case_id}/gate-overrides": read(SEE),
    "GET /api/v1/decisions": read(SIGNED_IN),
    "GET /api/v1/diagnostics": read(SIGNED_IN),
    "GET /api/v1/analytics/headlines": read(INTERNAL),
    "GET /api/v1/analytics/stage-reach": read(SIGNED_IN),
    "GET /api/v1/analytics/funnel": read(SIGNED_IN),
    "GET /api/v1/analytics/pilots": read(SIGNED_IN),
    "GET /api/v1/analytics/time-to-value": read(SIGNED_IN),
    "GET /api/v1/analytics/dwell": read(SIGNED_IN),
    "GET /api/v1/analytics/coverage": read(SIGNED_IN),
    "GET /api/v1/analytics/governance": read(SIGNED_IN),
    "GET /api/v1/analytics/embedding": read(SIGNED_IN),
    "GET /api/v1/analytics/vendors": read(SIGNED_IN),
    "GET /api/v1/use-cases/{use_case_id}/kpis": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/kpis": write(EDIT, lambda c, _: {"name": "Probe"}),
    "PATCH /api/v1/kpis/{kpi_id}": write(EDIT, lambda c, _: {"unit": "min"}),
    "GET /api/v1/kpis/{kpi_id}/measurements": read(SEE),
    "POST /api/v1/kpis/{kpi_id}/measurements": write(
        EDIT, lambda c, _: {"value": 3, "measured_on": _today()}
    ),
    "POST /api/v1/use-cases/{use_case_id}/measurements/import": write(EDIT, _csv, multipart=True),
    "GET /api/v1/use-cases/{use_case_id}/adoption": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/adoption": write(
        EDIT,
        lambda c, _: {
            "period_start": _today(-30),
            "period_end": _today(-1),
            "active_users": 3,
            "usage": 9,
        },
    ),
    "GET /api/v1/use-cases/{use_case_id}/feedback": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/feedback": write(FEEDBACK, lambda c, _: {"rating": 4}),
    "GET /api/v1/use-cases/{use_case_id}/priority": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/priority": write(
        SCORE, lambda c, _: {"criteria": {}, "rationale": "Probing who may score."}
    ),
    "GET /api/v1/backlog": read(SIGNED_IN),
    "GET /api/v1/maturity/model": read(INTERNAL),
    "GET /api/v1/maturity": read(INTERNAL),
    "GET /api/v1/maturity/history": read(INTERNAL),
    "POST /api/v1/maturity/self-assessments": write(ADMIN, lambda c, _: {"answers": {}}),
    "GET /api/v1/data-products": read(SIGNED_IN),
    "POST /api/v1/data-products": write(
        ADMIN, lambda c, _: {"name": "Probe data", "domain": c.shared["org_unit"]}
    ),
    "GET /api/v1/data-products/{product_id}": read(INTERNAL),
    "PATCH /api/v1/data-products/{product_id}": write(ADMIN, lambda c, _: {"name": "Probe"}),
    "POST /api/v1/data-products/{product_id}/quality": write(ADMIN, lambda c, _: {"score": 80}),
    "GET /api/v1/use-cases/{use_case_id}/data-products": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/data-products": write(
        EDIT, lambda c, _: {"data_product": c.shared["product"], "purpose": "probe"}
    ),
    "DELETE /api/v1/use-cases/{use_case_id}/data-products/{product_id}": write(EDIT),
    "GET /api/v1/use-cases/{use_case_id}/data-readiness": read(SEE),
    "POST /api/v1/use-cases/similar": write(
        SIGNED_IN, lambda c, _: {"title": "Branch closure predictor", "problem": "Client churn"}
    ),
    "GET /api/v1/use-cases/{use_case_id}/similar": read(SEE),
    "GET /api/v1/silos/clusters": read(SIGNED_IN),
    "POST /api/v1/use-cases/{use_case_id}/links": write(LINK, _link),
    "DELETE /api/v1/use-cases/{use_case_id}/links/{link_id}": write(LINK),
    "GET /api/v1/training-records": read(SIGNED_IN),
    "POST /api/v1/training-records": write(
        ADMIN,
        lambda c, _: {
            "person": c.shared["person"],
            "course": "AI basics",
            "level": "foundation",
            "completed_on": _today(-1),
        },
    ),
    "POST /api/v1/training-records/import": write(ADMIN, _csv, multipart=True),
    "GET /api/v1/literacy/coverage": read(INTERNAL),
    "GET /api/v1/policy": read(INTERNAL),
    "GET /api/v1/policy/versions": read(INTERNAL),
    "GET /api/v1/policy/versions/{version}": read(INTERNAL),
    "POST /api/v1/policy/validate": write(INTERNAL, lambda c, _: {"content": "stages: []"}),
    "POST /api/v1/policy/simulate": write(INTERNAL, lambda c, _: {"content": "stages: []"}),
    "POST /api/v1/policy/activate": write(ADMIN, lambda c, _: {"content": "stages: []"}),
    # ---- API of change, obligations, technology, monitoring, transparency --------------
    "GET /api/v1/change-plans": read(SIGNED_IN),
    "GET /api/v1/use-cases/{use_case_id}/change-plan": read(SEE),
    "PUT /api/v1/use-cases/{use_case_id}/change-plan": write(
        EDIT, lambda c, _: {"summary": "Probe"}
    ),
    "POST /api/v1/use-cases/{use_case_id}/change-plan/groups": write(
        EDIT, lambda c, _: {"name": "Probe group", "size": 3}
    ),
    "PATCH /api/v1/use-cases/{use_case_id}/change-plan/groups/{group_id}": write(
        EDIT, lambda c, _: {"size": 5}
    ),
    "DELETE /api/v1/use-cases/{use_case_id}/change-plan/groups/{group_id}": write(EDIT),
    "POST /api/v1/use-cases/{use_case_id}/change-plan/groups/{group_id}/interventions": write(
        EDIT, lambda c, _: {"kind": "support", "description": "Probe"}
    ),
    "PATCH /api/v1/use-cases/{use_case_id}/change-plan/groups/{group_id}/interventions/"
    "{intervention_id}": write(EDIT, lambda c, _: {"status": "done"}),
    "DELETE /api/v1/use-cases/{use_case_id}/change-plan/groups/{group_id}/interventions/"
    "{intervention_id}": write(EDIT),
    "GET /api/v1/obligations/crosswalk": read(SIGNED_IN),
    "GET /api/v1/obligations/evidence/{evidence_id}/file": read(SEE, read_ok=(200, 404)),
    "GET /api/v1/use-cases/{pk}/obligations": read(SEE),
    "PUT /api/v1/use-cases/{pk}/obligations/{key}": write(ASSESS, lambda c, _: {"status": "met"}),
    "POST /api/v1/use-cases/{pk}/obligations/{key}/evidence": write(
        EDIT, lambda c, _: {"url": "https://example.com/e3"}, multipart=True
    ),
    "GET /api/v1/registry/models": read(SIGNED_IN),  # empty for partners
    "POST /api/v1/registry/models": write(
        ADMIN, lambda c, _: {"name": "Probe 2", "model_type": "predictive"}
    ),
    "GET /api/v1/registry/models/{pk}": read(INTERNAL, pk="model"),
    "PATCH /api/v1/registry/models/{pk}": write(ADMIN, lambda c, _: {"version": "2"}, pk="model"),
    "GET /api/v1/registry/models/{pk}/card": read(INTERNAL, pk="model"),
    "GET /api/v1/registry/platforms": read(SIGNED_IN),  # empty for partners
    "POST /api/v1/registry/platforms": write(ADMIN, lambda c, _: {"name": "Probe 2"}),
    "GET /api/v1/registry/platforms/{pk}": read(INTERNAL, pk="platform"),
    "PATCH /api/v1/registry/platforms/{pk}": write(
        ADMIN, lambda c, _: {"name": "Probe 3"}, pk="platform"
    ),
    "GET /api/v1/registry/vendors": read(SIGNED_IN),  # empty for partners
    "POST /api/v1/registry/vendors": write(ADMIN, lambda c, _: {"name": "Probe 2"}),
    "GET /api/v1/registry/vendors/{pk}": read(INTERNAL, pk="vendor"),
    "PATCH /api/v1/registry/vendors/{pk}": write(
        ADMIN, lambda c, _: {"name": "Probe 3"}, pk="vendor"
    ),
    "GET /api/v1/use-cases/{use_case_id}/technology": read(SEE),
    "POST /api/v1/use-cases/{use_case_id}/technology": write(
        EDIT, lambda c, _: {"kind": "platform", "id": c.shared["platform"]}
    ),
    "DELETE /api/v1/use-cases/{use_case_id}/technology/{kind}/{target_id}": write(EDIT),
    "GET /api/v1/incidents": read(SIGNED_IN),
    "POST /api/v1/incidents": write(frozenset({"alice", "bob", "ada", "rita"}), _incident),
    "GET /api/v1/incidents/{incident_id}": read(SEE),
    "PATCH /api/v1/incidents/{incident_id}": write(ASSESS, lambda c, _: {"title": "Probe"}),
    "POST /api/v1/incidents/{incident_id}/status": write(
        ASSESS, lambda c, _: {"status": "investigating"}
    ),
    "POST /api/v1/incidents/{incident_id}/severity-confirmation": write(
        CONFIRM, lambda c, _: {"severity": "critical"}
    ),
    "POST /api/v1/incidents/{incident_id}/actions": write(
        ASSESS, lambda c, _: {"description": "Probe"}
    ),
    "POST /api/v1/incidents/{incident_id}/actions/{action_id}/done": write(ASSESS),
    "GET /api/v1/use-cases/{use_case_id}/monitoring-plan": read(SEE),
    "PUT /api/v1/use-cases/{use_case_id}/monitoring-plan": write(
        ASSESS, lambda c, _: {"review_every_days": 90}
    ),
    "POST /api/v1/use-cases/{use_case_id}/monitoring-plan/checks": write(
        ASSESS, lambda c, _: {"kind": "other", "description": "Probe"}
    ),
    "DELETE /api/v1/use-cases/{use_case_id}/monitoring-plan/checks/{check_id}": write(ASSESS),
    "POST /api/v1/use-cases/{use_case_id}/monitoring-plan/reviews": write(
        ASSESS, lambda c, _: {"outcome": "ok"}
    ),
    "GET /api/v1/transparency/register": read(ANYONE, public=True),
    "POST /api/v1/use-cases/{use_case_id}/publication": write(
        ADMIN, lambda c, _: {"publish": False, "rationale": "Probing who may decide."}
    ),
}
