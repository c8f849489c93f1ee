"""Incident, action, status, plan, check and review forms: parse and render; services validate."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from aiom.core.forms import DateInput, DateTimeInput, KeepsCurrentChoices, Textarea
from aiom.monitoring.models import CheckKind, Harm, IncidentStatus, ReviewOutcome, Severity
from aiom.organisation.person_picker import PersonField
from aiom.portfolio.models import UseCase
from aiom.value.models import KPI


class UseCaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.org_unit.name})"


class IncidentForm(KeepsCurrentChoices, forms.Form):
    use_case = UseCaseChoiceField(queryset=UseCase.objects.none())
    title = forms.CharField(max_length=200, label="What happened, in a few words")
    description = forms.CharField(widget=Textarea(attrs={"rows": 4}), required=False)
    model_name = forms.CharField(max_length=200, required=False, label="Model involved")
    occurred_at = forms.DateTimeField(widget=DateTimeInput(), label="Occurred")
    detected_at = forms.DateTimeField(widget=DateTimeInput(), required=False, label="Detected")
    severity = forms.ChoiceField(choices=Severity.choices)
    harms = forms.MultipleChoiceField(
        choices=Harm.choices, widget=forms.CheckboxSelectMultiple, required=False, label="Harm"
    )
    people_affected = forms.IntegerField(min_value=0, required=False)

    def __init__(self, *args: Any, use_cases: QuerySet[UseCase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["use_case"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = use_cases.select_related("org_unit").order_by("title")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("use_case")
        if data.get("detected_at") is None:
            data.pop("detected_at", None)
        return data


class StatusForm(KeepsCurrentChoices, forms.Form):
    status = forms.ChoiceField(choices=IncidentStatus.choices)
    lessons_learned = forms.CharField(
        widget=Textarea(attrs={"rows": 3}), required=False, label="Lessons learned"
    )


class ActionForm(KeepsCurrentChoices, forms.Form):
    description = forms.CharField(max_length=2000, label="Corrective action")
    owner = PersonField(required=False)
    due_on = forms.DateField(widget=DateInput(), required=False)


class PlanForm(KeepsCurrentChoices, forms.Form):
    reviewer = PersonField(required=False)
    review_every_days = forms.IntegerField(min_value=1, max_value=3650, label="Review every (days)")
    notes = forms.CharField(widget=Textarea(attrs={"rows": 2}), required=False)


class CheckForm(KeepsCurrentChoices, forms.Form):
    kind = forms.ChoiceField(choices=CheckKind.choices)
    description = forms.CharField(max_length=300, label="What is watched")
    kpi = forms.ModelChoiceField(queryset=KPI.objects.none(), required=False, label="KPI")
    lower = forms.DecimalField(required=False, label="Lower bound")
    upper = forms.DecimalField(required=False, label="Upper bound")

    def __init__(self, *args: Any, use_case: UseCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kpi"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = KPI.objects.filter(use_case=use_case, is_active=True)


class ReviewForm(KeepsCurrentChoices, forms.Form):
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices)
    note = forms.CharField(widget=Textarea(attrs={"rows": 2}), required=False)
