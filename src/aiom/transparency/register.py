"""The one read model of the public register: published use cases, public fields only.

Everything public (page, JSON, CSV, the OMB 2025 layout, the API) is built from
`entries()`, which reads only the columns named in PUBLIC_FIELDS' sources. The database
narrows to the latest decision per use case, then the PURE rule confirms each row, so
the query and `rules.verdict` cannot drift apart silently.

The name, summary, org unit and kind of AI are shown as approved (the decision's snapshot),
never as the owner may have edited them since: an edit re-opens the decision for review
(`approval`) and the register keeps the approved words until a new decision. The tier and
status are governance facts, shown as they are now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery

from aiom.governance.models import PolicyVersion
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from aiom.portfolio.vocabulary import AIType, stage_labeller
from aiom.transparency.models import PublicationDecision
from aiom.transparency.policy import TransparencyRules
from aiom.transparency.rules import Facts, Publishable, is_published

# The columns every public feed carries, in order.
PUBLIC_FIELDS = [
    "reference",
    "name",
    "summary",
    "org_unit",
    "ai_type",
    "tier",
    "human_oversight",
    "status",
    "contact",
    "published_on",
]
TIER_LABELS = {"low": "Low", "medium": "Medium", "high": "High"}


@dataclass(frozen=True)
class Entry:
    """One published use case as the public sees it: nothing internal."""

    reference: str
    name: str
    summary: str
    org_unit: str
    ai_type: str
    tier: str
    human_oversight: str
    status: str
    contact: str
    published_on: dt.date
    # Vocabulary keys behind the labels, for the OMB layout's own vocabulary (not listed).
    stage_key: str = ""
    ai_type_key: str = ""

    def as_dict(self) -> dict[str, str]:
        row = {name: getattr(self, name) for name in PUBLIC_FIELDS}
        row["published_on"] = self.published_on.isoformat()
        return row


@dataclass(frozen=True)
class Register:
    organisation: str
    entries: list[Entry]

    @property
    def count(self) -> int:
        return len(self.entries)

    def by_ai_type(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.ai_type] = counts.get(entry.ai_type, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def etag(self) -> str:
        """A hash of exactly what the public sees, so it changes whenever that does."""
        body = {"organisation": self.organisation, "entries": [e.as_dict() for e in self.entries]}
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _latest_decisions(publishable: Publishable) -> list[PublicationDecision]:
    latest = PublicationDecision.objects.filter(use_case=OuterRef("use_case")).order_by(
        "-decided_at", "-pk"
    )
    found = (
        PublicationDecision.objects.filter(
            pk=Subquery(latest.values("pk")[:1]),
            publish=True,
            use_case__confidential=False,
            use_case__stage__in=publishable.stages,
        )
        .select_related("use_case__org_unit")
        .only(
            "reference",
            "publish",
            "public_summary",
            "human_oversight",
            "contact",
            "decided_at",
            "approved",
            "use_case__title",
            "use_case__stage",
            "use_case__confidential",
            "use_case__ai_type",
            "use_case__tier",
            "use_case__org_unit__name",
        )
        .order_by("reference")
    )
    return list(found)


def organisation_name(rules: TransparencyRules) -> str:
    """The policy's name for the publisher, else the top org unit's, else a plain word."""
    if rules.organisation:
        return rules.organisation
    top = OrgUnit.objects.filter(parent=None).order_by("path").values_list("name", flat=True)
    return top.first() or "This organisation"


def entries(rules: TransparencyRules, publishable: Publishable) -> list[Entry]:
    out, stage_label = [], stage_labeller()
    for d in _latest_decisions(publishable):
        uc = d.use_case
        facts = Facts(stage=uc.stage, confidential=uc.confidential, decision=d.publish)
        if not is_published(facts, publishable):
            continue
        ai_type = d.approved_value("ai_type", uc.ai_type)
        out.append(
            Entry(
                reference=d.reference,
                name=d.approved_value("title", uc.title),
                summary=d.public_summary,
                org_unit=d.approved_value("org_unit_name", uc.org_unit.name),
                ai_type=AIType(ai_type).label if ai_type in AIType.values else "Other",
                tier=TIER_LABELS.get(uc.tier, "Not assessed"),
                human_oversight=d.human_oversight,
                status=stage_label(uc.stage),
                contact=d.contact or rules.contact_email,
                published_on=d.decided_at.date(),
                stage_key=uc.stage,
                ai_type_key=ai_type,
            )
        )
    out.sort(key=lambda e: (e.name, e.reference))  # by the approved name, not the live one
    return out


def register(rules: TransparencyRules, publishable: Publishable) -> Register:
    return Register(organisation=organisation_name(rules), entries=entries(rules, publishable))


def last_modified() -> dt.datetime | None:
    """The newest change that can alter the register: a decision, an edit/move of a use
    case that has ever had one, or a policy activation.

    Approximate by design: an org-unit rename or a backdated decision is not seen here.
    The ETag (a hash of the content) is exact, and wins whenever a client sends both.
    """
    decided = PublicationDecision.objects.aggregate(at=Max("decided_at"))["at"]
    activated = PolicyVersion.objects.aggregate(at=Max("activated_at"))["at"]
    edited = UseCase.objects.filter(publication_decisions__isnull=False).aggregate(
        at=Max("updated_at")
    )["at"]
    moments = [m for m in (decided, edited, activated) if m is not None]
    return max(moments) if moments else None
