"""The record form and the CSV upload form; the services still validate everything."""

from django import forms

from aiom.core.forms import DateInput, KeepsCurrentChoices
from aiom.literacy.models import Level


class RecordForm(KeepsCurrentChoices, forms.Form):
    course = forms.CharField(max_length=200)
    provider = forms.CharField(max_length=200, required=False)
    level = forms.ChoiceField(choices=Level.choices)
    completed_on = forms.DateField(widget=DateInput())
    expires_on = forms.DateField(
        widget=DateInput(), required=False, help_text="The first day it no longer counts."
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="username_or_email,course,provider,level,completed_on,expires_on (max 2 MB)"
    )
