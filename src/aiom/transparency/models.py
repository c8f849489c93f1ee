"""Publication decisions: whether a use case appears on the public transparency register.

Decisions are never edited; a new one supersedes the last (the newest row is current),
so the history of who published or withdrew what, and why, stays in the table. A decision
stores what it approved: the public texts, the oversight mode, and a snapshot of the use
case's public fields and facts (`approved`), which the register shows. When the use case
later changes under a published decision, the decision is re-opened (`reopened_at`, with
why): pending review until a new decision, while the register keeps the approved snapshot.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aiom.portfolio.models import UseCase
from aiom.transparency.oversight import MODES


class PublicationDecisionQuerySet(models.QuerySet["PublicationDecision"]):
    def visible_to(self, user: Any) -> PublicationDecisionQuerySet:
        """Decisions on the use cases `user` may see (internal detail: none for anonymous)."""
        return self.filter(use_case__in=UseCase.objects.visible_to(user))


class PublicationDecision(models.Model):
    """One decision to publish (or not) one use case, with the public texts it approved."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.PROTECT, related_name="publication_decisions"
    )
    publish = models.BooleanField()
    rationale = models.TextField(help_text="Why it is (or is not) published; internal.")
    public_summary = models.TextField(
        blank=True, help_text="The purpose in plain words, written for the public."
    )
    human_oversight = models.TextField(
        blank=True, help_text="How people oversee it, in plain words, for the public."
    )
    oversight_mode = models.CharField(
        max_length=16,
        choices=list(MODES.items()),
        blank=True,
        help_text="Who decides, as a fact that must agree with the use case's recorded facts.",
    )
    contact = models.EmailField(blank=True, help_text="Shown publicly.")
    approved = models.JSONField(
        default=dict,
        blank=True,
        help_text="The use case's public fields and facts as approved (what the register shows).",
    )
    reopened_at = models.DateTimeField(
        null=True, blank=True, help_text="When a change to the use case re-opened it for review."
    )
    reopened_reason = models.TextField(blank=True)
    reference = models.CharField(
        max_length=16,
        db_index=True,
        help_text="The public reference: random, kept across a use case's decisions.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    policy_version = models.PositiveIntegerField(null=True, blank=True)

    objects = PublicationDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(fields=["use_case", "-decided_at", "-id"], name="transparency_latest"),
        ]

    def __str__(self) -> str:
        verb = "publish" if self.publish else "do not publish"
        return f"{verb}: {self.use_case.title}"[:300]

    @property
    def pending_review(self) -> bool:
        """A publication re-opened by a change to the use case, not yet decided again."""
        return self.publish and self.reopened_at is not None

    def approved_value(self, key: str, live: Any) -> Any:
        """The approved value of a public field, or `live` when the snapshot lacks it."""
        value = self.approved.get(key) if isinstance(self.approved, dict) else None
        return live if value is None else value

    def snapshot(self) -> dict[str, Any]:
        return {
            "use_case": self.use_case_id,
            "publish": self.publish,
            "rationale": self.rationale,
            "public_summary": self.public_summary,
            "human_oversight": self.human_oversight,
            "oversight_mode": self.oversight_mode,
            "contact": self.contact,
            "approved": self.approved,
            "reopened_at": self.reopened_at,
            "reopened_reason": self.reopened_reason,
            "reference": self.reference,
            "decided_at": self.decided_at,
        }
