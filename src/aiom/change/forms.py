"""The panel's forms: parse and render; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms

from aiom.change.models import (
    ChangePlan,
    Impact,
    InterventionKind,
    PlanStatus,
    StakeholderGroup,
)
from aiom.core.forms import DateInput, KeepsCurrentChoices, Textarea
from aiom.organisation.models import OrgUnit
from aiom.organisation.person_picker import PersonField
from aiom.portfolio.forms import OrgUnitChoiceField

DATE = DateInput()


class PlanForm(KeepsCurrentChoices, forms.Form):
    summary = forms.CharField(
        widget=Textarea(attrs={"rows": 3}),
        required=False,
        label="The change, in a few lines",
        help_text="What will work differently, for whom, and why it matters.",
    )
    champion = PersonField(required=False, label="Champion")
    go_live_on = forms.DateField(required=False, widget=DATE, label="Go-live")
    status = forms.ChoiceField(choices=PlanStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_plan(cls, plan: ChangePlan | None) -> PlanForm:
        if plan is None:
            return cls(prefix="plan", initial={"status": PlanStatus.DRAFT})
        initial = {
            "summary": plan.summary,
            "champion": plan.champion_id,
            "go_live_on": plan.go_live_on,
            "status": plan.status,
            "version": plan.version,
        }
        return cls(prefix="plan", initial=initial)

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class GroupForm(KeepsCurrentChoices, forms.Form):
    name = forms.CharField(max_length=120, label="Stakeholder group")
    size = forms.IntegerField(min_value=0, label="People")
    org_unit = OrgUnitChoiceField(
        queryset=OrgUnit.objects.order_by("path"), required=False, label="Org unit"
    )
    impact = forms.ChoiceField(choices=Impact.choices, initial=Impact.MEDIUM)
    what_changes = forms.CharField(
        widget=Textarea(attrs={"rows": 2}), required=False, label="What changes for them"
    )
    target_users = forms.IntegerField(min_value=1, required=False, label="Target active users")
    target_on = forms.DateField(required=False, widget=DATE, label="Target date")

    @classmethod
    def for_group(cls, group: StakeholderGroup) -> GroupForm:
        initial = {f: getattr(group, f) for f in ("name", "size", "impact", "what_changes")}
        initial.update(
            org_unit=group.org_unit_id, target_users=group.target_users, target_on=group.target_on
        )
        return cls(prefix=f"group-{group.pk}", initial=initial)


class InterventionForm(KeepsCurrentChoices, forms.Form):
    kind = forms.ChoiceField(choices=InterventionKind.choices)
    description = forms.CharField(max_length=2000, label="What will be done")
    owner = PersonField(required=False, label="Owner")
    due_on = forms.DateField(required=False, widget=DATE, label="Due")
