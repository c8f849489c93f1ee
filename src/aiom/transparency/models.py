"""Publication decisions: whether a use case appears on the public transparency register.

Decisions are never edited; a new one supersedes the last (the newest row is current),
so the history of who published or withdrew what, and why, stays in the table.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from aiom.portfolio.models import UseCase


class PublicationDecisionQuerySet(models.QuerySet["PublicationDecision"]):
    def visible_to(self, user: Any) -> PublicationDecisionQuerySet:
        """Decisions on the use cases `user` may see (internal detail: none for anonymous)."""
        return self.filter(use_case__in=UseCase.objects.visible_to(user))


class PublicationDecision(models.Model):
    """One decision to publish (or not) one use case, with the public texts it approved."""

    use_case = models.ForeignKey(
        UseCase, on_delete=models.PROTECT, related_name="publication_decisions"
    )
    publish = models.BooleanField()
    rationale = models.TextField(help_text="Why it is (or is not) published; internal.")
    public_summary = models.TextField(
        blank=True, help_text="The purpose in plain words, written for the public."
    )
    human_oversight = models.TextField(
        blank=True, help_text="How people oversee it, in plain words, for the public."
    )
    contact = models.EmailField(blank=True, help_text="Shown publicly.")
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

    def snapshot(self) -> dict[str, Any]:
        return {
            "use_case": self.use_case_id,
            "publish": self.publish,
            "rationale": self.rationale,
            "public_summary": self.public_summary,
            "human_oversight": self.human_oversight,
            "contact": self.contact,
            "reference": self.reference,
            "decided_at": self.decided_at,
        }
