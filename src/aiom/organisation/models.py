"""Org units (a tree), people (a profile beside Django's user) and role assignments."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    BUSINESS_OWNER = "business_owner", "Business owner"
    AI_EXPERT = "ai_expert", "AI expert"
    DOMAIN_EXPERT = "domain_expert", "Domain expert"
    CHANGE_CHAMPION = "change_champion", "Change champion"
    DATA_STEWARD = "data_steward", "Data steward"
    RISK_REVIEWER = "risk_reviewer", "Risk reviewer"
    COMPLIANCE_REVIEWER = "compliance_reviewer", "Compliance reviewer"
    PARTNER = "partner", "Partner (external)"
    ADMINISTRATOR = "administrator", "Administrator"


REVIEWER_ROLES = frozenset({Role.RISK_REVIEWER, Role.COMPLIANCE_REVIEWER})


class OrgUnit(models.Model):
    """A business unit or department. `path` ("/3/7/") makes subtree queries one LIKE."""

    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=40, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_org_units",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="org_unit_unique_name_in_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class Person(models.Model):
    """What aiom knows of a user beyond Django's auth: home org unit and job title."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="person"
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_title = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class RoleAssignment(models.Model):
    """A role held globally (org_unit is null) or within one org unit and its subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(org_unit__isnull=True),
                name="role_unique_global",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "org_unit"],
                condition=models.Q(org_unit__isnull=False),
                name="role_unique_scoped",
            ),
        ]

    def __str__(self) -> str:
        scope = self.org_unit.name if self.org_unit_id and self.org_unit else "global"
        return f"{self.get_role_display()} ({scope})"
