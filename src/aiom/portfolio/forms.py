"""The use-case form: parses and renders; the service validates and writes."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from aiom.core.forms import KeepsCurrentChoices, Textarea
from aiom.organisation.models import OrgUnit
from aiom.organisation.people_search import internal_people as internal_people
from aiom.organisation.person_picker import PersonField
from aiom.portfolio.models import Theme, UseCase

User = get_user_model()


class OrgUnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class UseCaseForm(KeepsCurrentChoices, forms.ModelForm):  # type: ignore[type-arg]
    org_unit = OrgUnitChoiceField(queryset=OrgUnit.objects.order_by("path"), label="Org unit")
    owner = PersonField(
        label="Accountable business owner",
        help_text="Exactly one person answers for this use case.",
    )
    sponsor = PersonField(required=False, label="Executive sponsor")
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.filter(is_active=True), required=False, label="Strategic theme"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = UseCase
        fields = [
            "title",
            "problem",
            "description",
            "org_unit",
            "owner",
            "sponsor",
            "theme",
            "value_hypothesis",
            "expected_benefit_amount",
            "expected_benefit_currency",
            "ai_type",
            "sourcing",
            "vendor",
            "environment",
            "customer_facing",
            "personal_data",
            "automated_decisions",
            "risk_notes",
            "confidential",
        ]
        labels = {
            "expected_benefit_amount": "Expected annual benefit",
            "expected_benefit_currency": "Currency",
            "ai_type": "AI type",
            "sourcing": "Build or buy",
            "customer_facing": "Customer-facing",
            "personal_data": "Uses personal data",
            "automated_decisions": "Automated decisions about people",
            "confidential": "Confidential (visible to its org unit, reviewers and admins)",
        }
        widgets = {
            "problem": Textarea(attrs={"rows": 3}),
            "description": Textarea(attrs={"rows": 4}),
            "value_hypothesis": Textarea(attrs={"rows": 3}),
            "risk_notes": Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["expected_benefit_amount"].help_text = ""
        # The service is the one validator of the model; the form only parses input.
        self.fields["expected_benefit_currency"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        """Skip ModelForm's model validation: services.create/update_use_case do it."""

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
