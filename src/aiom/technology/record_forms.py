"""Forms for adding and changing registry records: parse and render; services validate."""

from typing import Any

from django import forms
from django.db import models

from aiom.core.forms import DateInput, KeepsCurrentChoices, Textarea
from aiom.organisation.models import OrgUnit
from aiom.organisation.person_picker import PersonField
from aiom.portfolio.forms import OrgUnitChoiceField, internal_people
from aiom.technology.models import AIModel, ModelStatus, ModelType, Platform, RunsWhere, Vendor

DATE = DateInput()
TEXT = Textarea(attrs={"rows": 3})


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class VendorForm(KeepsCurrentChoices, forms.Form):
    name = forms.CharField(max_length=120)
    website = forms.URLField(required=False, assume_scheme="https")
    contract_owner = PersonField(required=False)
    contract_start = forms.DateField(required=False, widget=DATE)
    contract_end = forms.DateField(required=False, widget=DATE)
    dpa_signed = forms.BooleanField(required=False, label="Data-processing agreement signed")
    data_processing_terms = forms.CharField(required=False, widget=TEXT)
    risk_notes = forms.CharField(required=False, widget=TEXT)


class AIModelForm(KeepsCurrentChoices, forms.Form):
    name = forms.CharField(max_length=120)
    version = forms.CharField(max_length=60, required=False)
    vendor = forms.ModelChoiceField(
        queryset=Vendor.objects.all(), required=False, empty_label="In-house (no vendor)"
    )
    model_type = forms.ChoiceField(choices=ModelType.choices, label="Type")
    licence = forms.CharField(max_length=120, required=False)
    runs_where = forms.ChoiceField(choices=[("", "—"), *RunsWhere.choices], required=False)
    status = forms.ChoiceField(choices=ModelStatus.choices)
    owners = PeopleField(
        queryset=internal_people(), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    intended_use = forms.CharField(required=False, widget=TEXT)
    known_limitations = forms.CharField(required=False, widget=TEXT)
    evaluation_summary = forms.CharField(required=False, widget=TEXT)
    evaluated_on = forms.DateField(required=False, widget=DATE)


class PlatformForm(KeepsCurrentChoices, forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=TEXT)
    owner = PersonField(required=False)
    org_unit = OrgUnitChoiceField(
        queryset=OrgUnit.objects.order_by("path"), required=False, label="Owning org unit"
    )
    vendor = forms.ModelChoiceField(
        queryset=Vendor.objects.all(), required=False, empty_label="In-house (no vendor)"
    )
    environments = forms.CharField(
        required=False, help_text="Comma-separated, e.g. sandbox, staging, production."
    )


FORMS: dict[type[models.Model], type[forms.Form]] = {
    Vendor: VendorForm,
    AIModel: AIModelForm,
    Platform: PlatformForm,
}


def initial(record: models.Model) -> dict[str, Any]:
    """The form's starting values from a stored record."""
    form = FORMS[type(record)]
    values: dict[str, Any] = {}
    for name in form.base_fields:
        if name == "owners":
            values[name] = list(record.owners.values_list("pk", flat=True))  # type: ignore[attr-defined]
        elif name == "environments":
            values[name] = ", ".join(record.environments)  # type: ignore[attr-defined]
        else:
            value = getattr(record, name)
            values[name] = value.pk if isinstance(value, models.Model) else value
    return values


def service_fields(form: forms.Form) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    if "owners" in data:
        data["owners"] = list(data["owners"])
    return data
