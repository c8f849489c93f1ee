"""Models, platforms and vendors as records, and the use cases that rely on them.

A model without a vendor is built in-house. Names are unique case-insensitively (a
model's per version), so "OpenAI" and "openai" cannot become two vendors and split the
concentration figures. The registry is internal: external partners see none of it.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from aiom.organisation.access import access_for


class ModelType(models.TextChoices):
    PREDICTIVE = "predictive", "Predictive"
    GENERATIVE_LLM = "generative_llm", "Generative / LLM"
    VISION = "vision", "Vision"
    SPEECH = "speech", "Speech"
    NLP = "nlp", "Language (NLP)"
    RECOMMENDER = "recommender", "Recommender"
    OTHER = "other", "Other"


class RunsWhere(models.TextChoices):
    ON_PREM = "on_prem", "On premises"
    PRIVATE_CLOUD = "private_cloud", "Private cloud"
    PUBLIC_CLOUD = "public_cloud", "Public cloud (our tenant)"
    VENDOR_SAAS = "vendor_saas", "Vendor SaaS"
    DEVICE = "device", "On device / edge"


class ModelStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DEPRECATED = "deprecated", "Deprecated"


class RegistryQuerySet[M: models.Model](models.QuerySet[M]):
    def visible_to(self, user: Any) -> "RegistryQuerySet[M]":
        """Internal people see the whole registry; partners and strangers nothing."""
        return self.all() if access_for(user).is_internal else self.none()


class Vendor(models.Model):
    """A supplier of models, platforms or AI products, and the contract we hold with it."""

    name = models.CharField(max_length=120)
    website = models.URLField(blank=True)
    contract_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_vendor_contracts",
    )
    contract_start = models.DateField(null=True, blank=True)
    contract_end = models.DateField(null=True, blank=True)
    data_processing_terms = models.TextField(blank=True)
    dpa_signed = models.BooleanField("DPA signed", default=False)
    risk_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryQuerySet["Vendor"].as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(Lower("name"), name="vendor_unique_name_ci")]

    def __str__(self) -> str:
        return self.name


class AIModel(models.Model):
    """One model at one version: what it is for, its limits, how it was evaluated."""

    name = models.CharField(max_length=120)
    version = models.CharField(max_length=60, blank=True)
    vendor = models.ForeignKey(
        Vendor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="models",
        help_text="Empty: built in-house.",
    )
    model_type = models.CharField(max_length=16, choices=ModelType.choices)
    licence = models.CharField(max_length=120, blank=True)
    intended_use = models.TextField(blank=True)
    known_limitations = models.TextField(blank=True)
    evaluation_summary = models.TextField(blank=True)
    evaluated_on = models.DateField(null=True, blank=True)
    runs_where = models.CharField(max_length=16, choices=RunsWhere.choices, blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="owned_ai_models"
    )
    status = models.CharField(
        max_length=12, choices=ModelStatus.choices, default=ModelStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryQuerySet["AIModel"].as_manager()

    class Meta:
        verbose_name = "AI model"
        ordering = ["name", "version", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "version", name="ai_model_unique_name_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()

    @property
    def in_house(self) -> bool:
        return self.vendor_id is None


class Platform(models.Model):
    """Shared AI infrastructure (an ML platform, an LLM gateway) that use cases run on."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_platforms",
    )
    org_unit = models.ForeignKey(
        "organisation.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platforms",
    )
    vendor = models.ForeignKey(
        Vendor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platforms",
        help_text="Empty: run in-house. A use case on it depends on this vendor.",
    )
    environments = models.JSONField(default=list, blank=True, help_text="e.g. sandbox, prod")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryQuerySet["Platform"].as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(Lower("name"), name="platform_unique_name_ci")]

    def __str__(self) -> str:
        return self.name


class LinkBase(models.Model):
    """A use case's link to a registry record (`target`, declared by each link model)."""

    purpose = models.CharField(max_length=500, blank=True)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["target__name", "id"]

    def __str__(self) -> str:
        return f"{self.use_case_id} relies on {self.target_id}"  # type: ignore[attr-defined]


class UseCaseModel(LinkBase):
    """A use case relies on a model."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="model_links"
    )
    target = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="use_case_links")

    class Meta(LinkBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["use_case", "target"], name="use_case_model_unique")
        ]


class UseCasePlatform(LinkBase):
    """A use case runs on a platform."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="platform_links"
    )
    target = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="use_case_links")

    class Meta(LinkBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["use_case", "target"], name="use_case_platform_unique")
        ]


class UseCaseVendor(LinkBase):
    """A use case depends on a vendor (bought product, API, support contract)."""

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, related_name="vendor_links"
    )
    target = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="use_case_links")

    class Meta(LinkBase.Meta):
        constraints = [
            models.UniqueConstraint(fields=["use_case", "target"], name="use_case_vendor_unique")
        ]
