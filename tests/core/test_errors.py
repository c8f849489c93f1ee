"""A service's refusal shown on a form: on its field, or on the form as a whole."""

from django import forms

from aiom.core.errors import InvalidInput


class NameForm(forms.Form):
    name = forms.CharField()


def test_each_message_lands_on_its_field_or_the_form() -> None:
    form = NameForm({"name": "x"})
    assert form.is_valid()
    InvalidInput({"name": "is taken", "owner_id": "must be a person"}).add_to(form)
    assert form.errors["name"] == ["is taken"]
    assert form.non_field_errors() == ["must be a person"]
