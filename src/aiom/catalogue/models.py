"""Data products, their upstream lineage, and the use cases that consume them.

Lineage is a plain many-to-many onto itself (`upstream`); cycles are allowed in the
data (feeds do loop back) and every reader of the graph must guard against them.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from aiom.organisation.access import access_for


class Classification(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"
    CONFIDENTIAL = "confidential", "Confidential"
    RESTRICTED = "restricted", "Restricted"


class AccessStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    REQUESTED = "requested", "Access requested"
    RESTRICTED = "restricted", "Restricted"
    RETIRED = "retired", "Retired"


class DataProductQuerySet(models.QuerySet["DataProduct"]):
    def visible_to(self, user: Any) -> "DataProductQuerySet":
        """Internal people see the whole catalogue; external partners only public products."""
        access = access_for(user)
        if not access.is_authenticated:
            return self.none()
        if access.is_external:
            return self.filter(classification=Classification.PUBLIC)
        return self.all()

    def search(self, text: str) -> "DataProductQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text) | Q(description__icontains=text) | Q(tags__icontains=text)
        )


class DataProduct(models.Model):
    """A governed data set a domain offers: steward, classification, quality, lineage."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    domain = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="data_products"
    )
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewarded_data_products",
        help_text="A data steward of the domain (global or scoped over it).",
    )
    classification = models.CharField(
        max_length=12, choices=Classification.choices, blank=True, help_text="Blank: unclassified"
    )
    personal_data = models.BooleanField(default=False)
    quality_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    quality_checked_on = models.DateField(null=True, blank=True)
    access_status = models.CharField(
        max_length=12, choices=AccessStatus.choices, default=AccessStatus.AVAILABLE
    )
    upstream = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="downstream"
    )
    external_sources = models.JSONField(
        default=list, blank=True, help_text="Named upstream sources outside the catalogue"
    )
    tags = models.CharField(
        max_length=500, blank=True, help_text="Comma-separated, lower case, as searched"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DataProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "name"], name="data_product_unique_name"),
            models.CheckConstraint(
                condition=Q(quality_score__isnull=True) | Q(quality_score__lte=100),
                name="data_product_quality_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class UseCaseDataProduct(models.Model):
    """A use case consumes a data product, for a stated purpose."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="data_links"
    )
    data_product = models.ForeignKey(
        DataProduct, on_delete=models.PROTECT, related_name="use_case_links"
    )
    purpose = models.TextField(blank=True)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["data_product__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "data_product"], name="use_case_data_product_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id} uses {self.data_product_id}"
