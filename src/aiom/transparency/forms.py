"""The decision form on the use-case page; the service still validates everything."""

from django import forms

from aiom.core.forms import KeepsCurrentChoices, Textarea
from aiom.transparency.oversight import MODES


class DecisionForm(KeepsCurrentChoices, forms.Form):
    publish = forms.TypedChoiceField(
        choices=[("yes", "Publish on the public register"), ("no", "Do not publish")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        widget=Textarea(attrs={"rows": 2}),
        help_text="Internal: why it is (or is not) published.",
    )
    public_summary = forms.CharField(
        required=False,
        widget=Textarea(attrs={"rows": 3}),
        help_text="Public: the purpose in plain words (blank: the use case's problem).",
    )
    human_oversight = forms.CharField(
        required=False,
        widget=Textarea(attrs={"rows": 2}),
        help_text="Public: how people oversee it and can contest its outcome.",
    )
    oversight_mode = forms.ChoiceField(
        required=False,
        choices=list(MODES.items()),
        widget=forms.RadioSelect,
        label="Who decides",
        help_text="Must agree with the use case's recorded facts (automated decisions).",
    )
    contact = forms.EmailField(
        required=False, help_text="Public (blank: the previous one or the policy's)."
    )
