"""Links between use cases found to be the same work (or related) across org units."""

from django.conf import settings
from django.db import models

from aiom.portfolio.models import UseCase


class LinkKind(models.TextChoices):
    DUPLICATE_OF = "duplicate_of", "duplicate of"
    RELATED_TO = "related_to", "related to"


class UseCaseLink(models.Model):
    """`from_use_case` is a duplicate of / related to `to_use_case`, and why."""

    from_use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="links_out")
    to_use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_use_case", "to_use_case", "kind"], name="use_case_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_use_case=models.F("to_use_case")),
                name="use_case_link_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_use_case_id} {self.kind} {self.to_use_case_id}"
