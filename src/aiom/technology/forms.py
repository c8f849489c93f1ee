"""The use-case link form: one select of every linkable record, grouped by kind."""

from typing import Any

from django import forms

from aiom.core.forms import KeepsCurrentChoices
from aiom.core.ids import parse_id
from aiom.technology.models import AIModel, ModelStatus, Platform, Vendor

KINDS: dict[str, type[AIModel | Platform | Vendor]] = {
    "model": AIModel,
    "platform": Platform,
    "vendor": Vendor,
}
GROUPS = {"model": "Models", "platform": "Platforms", "vendor": "Vendors"}


def record_choices(user: Any, linked: set[str]) -> list[Any]:
    """Optgroups of "kind:id" values, leaving out what is linked and deprecated models."""
    groups: list[Any] = [("", "Choose…")]
    for kind, model in KINDS.items():
        qs: Any = model.objects.visible_to(user)
        if model is AIModel:
            qs = qs.exclude(status=ModelStatus.DEPRECATED)
        options = [(f"{kind}:{r.pk}", str(r)) for r in qs if f"{kind}:{r.pk}" not in linked]
        if options:
            groups.append((GROUPS[kind], options))
    return groups


class LinkForm(KeepsCurrentChoices, forms.Form):
    record = forms.ChoiceField(label="Model, platform or vendor")
    purpose = forms.CharField(max_length=500, required=False, label="What for")

    def __init__(self, *args: Any, choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = choices  # type: ignore[attr-defined]


def parse_record(value: str, user: Any) -> AIModel | Platform | Vendor | None:
    """The visible record a "kind:id" value names, or None."""
    kind, _, pk = value.partition(":")
    record_id = parse_id(pk)
    if kind not in KINDS or record_id is None:
        return None
    found: Any = KINDS[kind].objects.visible_to(user).filter(pk=record_id).first()
    return found  # type: ignore[no-any-return]
