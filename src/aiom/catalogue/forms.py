"""The data-product form and the use-case link form: parse and render; services validate."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from aiom.catalogue.models import AccessStatus, Classification, DataProduct
from aiom.core.forms import KeepsCurrentChoices, Textarea
from aiom.organisation.models import OrgUnit, Role
from aiom.organisation.person_picker import PersonField
from aiom.portfolio.forms import OrgUnitChoiceField

User = get_user_model()


class DataProductForm(KeepsCurrentChoices, forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=Textarea(attrs={"rows": 4}), required=False)
    domain = OrgUnitChoiceField(queryset=OrgUnit.objects.order_by("path"), label="Owning domain")
    steward = PersonField(
        pool=f"role:{Role.DATA_STEWARD}",
        required=False,
        label="Data steward",
        help_text="Must hold the data-steward role for this domain (or globally).",
    )
    classification = forms.ChoiceField(
        choices=[("", "Not classified yet"), *Classification.choices], required=False
    )
    personal_data = forms.BooleanField(required=False, label="Contains personal data")
    access_status = forms.ChoiceField(
        choices=[c for c in AccessStatus.choices if c[0] != AccessStatus.RETIRED],
        label="Access",
    )
    upstream = forms.ModelMultipleChoiceField(
        queryset=DataProduct.objects.none(),
        required=False,
        label="Upstream data products",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    external_sources = forms.CharField(
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        label="External sources",
        help_text="One per line: systems or feeds outside the catalogue.",
    )
    tags = forms.CharField(required=False, help_text="Comma-separated.")

    def __init__(self, *args: Any, product: DataProduct | None = None, **kwargs: Any) -> None:
        if product is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": product.name,
                "description": product.description,
                "domain": product.domain_id,
                "steward": product.steward_id,
                "classification": product.classification,
                "personal_data": product.personal_data,
                "access_status": product.access_status,
                "upstream": list(product.upstream.values_list("pk", flat=True)),
                "external_sources": "\n".join(product.external_sources),
                "tags": ", ".join(product.tag_list),
            }
        super().__init__(*args, **kwargs)
        others = DataProduct.objects.exclude(access_status=AccessStatus.RETIRED)
        if product is not None:
            others = DataProduct.objects.exclude(pk=product.pk).filter(
                ~Q(access_status=AccessStatus.RETIRED) | Q(downstream=product)
            )
        self.fields["upstream"].queryset = others.distinct()  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["upstream"] = list(data["upstream"])
        return data


class LinkForm(KeepsCurrentChoices, forms.Form):
    data_product = forms.ModelChoiceField(
        queryset=DataProduct.objects.none(), label="Data product", empty_label="Choose…"
    )
    purpose = forms.CharField(max_length=2000, required=False, label="Purpose of use")

    def __init__(self, *args: Any, choices: QuerySet[DataProduct], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_product"].queryset = choices  # type: ignore[attr-defined]
