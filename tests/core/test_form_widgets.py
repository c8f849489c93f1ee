"""Every date and date-time input of every aiom form renders an ISO value, and every
textarea reads line breaks back as the browser showed them.

A browser discards a `type="date"` value that is not `YYYY-MM-DD` (and a `datetime-local`
value that is not `YYYY-MM-DDTHH:MM[:SS]`), so saving an unchanged form deleted the date;
it submits a textarea's line breaks as CRLF, so saving an unchanged text changed it.
The forms are discovered by importing every module of the package, not listed.
"""

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.template import Context, Template

import aiom
from aiom.core.forms import DateInput, DateTimeInput, KeepsCurrentChoices, Textarea

DAY = dt.date(2026, 12, 1)
MOMENT = dt.datetime(2026, 12, 1, 9, 30, 15)
ISO = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$"),
}
SKIP = ("aiom.__main__", "aiom.settings", "aiom.wsgi", "aiom.asgi")


def aiom_form_classes() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(aiom.__path__, "aiom."):
        if ".migrations" in info.name or info.name.startswith(SKIP):
            continue
        importlib.import_module(info.name)
    found: set[type[forms.BaseForm]] = set()
    pending: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("aiom."):
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def fields_of(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields every instance starts from (the metaclass sets them on each class)."""
    found: dict[str, forms.Field] = vars(form_class)["base_fields"]
    return found


def date_inputs(
    form_class: type[forms.BaseForm],
) -> Iterator[tuple[str, forms.Field, str]]:
    """(name, field, input type) of each field that renders a date or date-time input."""
    for name, field in fields_of(form_class).items():
        input_type = getattr(field.widget, "input_type", "")
        if isinstance(field, forms.DateTimeField) or input_type == "datetime-local":
            yield name, field, "datetime-local"
        elif isinstance(field, forms.DateField) or input_type == "date":
            yield name, field, "date"


def rendered_value(field: forms.Field, name: str, value: object) -> tuple[str, str]:
    """The input type and value attribute the field's widget renders for `value`."""
    html = field.widget.render(name, field.prepare_value(value))
    input_type = re.search(r'type="([^"]+)"', html)
    found = re.search(r'value="([^"]*)"', html)
    return (input_type.group(1) if input_type else "", found.group(1) if found else "")


def problems(form_class: type[forms.BaseForm]) -> list[str]:
    out = []
    for name, field, kind in date_inputs(form_class):
        where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
        sample = MOMENT if kind == "datetime-local" else DAY
        input_type, value = rendered_value(field, name, sample)
        if input_type != kind:
            out.append(f"{where}: renders type={input_type!r}, not {kind!r}")
        elif not ISO[kind].match(value):
            out.append(f"{where}: renders {value!r}, which the browser discards")
        shared = DateTimeInput if kind == "datetime-local" else DateInput
        if not isinstance(field.widget, shared):
            out.append(f"{where}: uses {type(field.widget).__name__}, not aiom.core.forms")
    return out


FORMS = aiom_form_classes()


def test_the_discovery_finds_the_forms_with_dates() -> None:
    names = {c.__qualname__ for c in FORMS}
    assert {"UseCaseForm", "PlanForm", "GroupForm", "VendorForm", "RecordForm"} <= names
    with_dates = [c for c in FORMS if list(date_inputs(c))]
    assert len(with_dates) >= 6, with_dates


@pytest.mark.parametrize("language", ["en-gb", "en-us", "de"])
def test_every_date_input_of_every_form_renders_iso(settings: Any, language: str) -> None:
    # aiom runs without translations (USE_I18N = False): the formats follow LANGUAGE_CODE
    settings.LANGUAGE_CODE = language
    found = [p for form_class in FORMS for p in problems(form_class)]
    assert not found, "\n".join(found)
    # and what the browser sends back parses under every locale (Django adds ISO formats)
    assert forms.DateField(widget=DateInput()).clean("2026-12-01") == DAY
    moment = forms.DateTimeField(widget=DateTimeInput()).clean("2026-12-01T09:30:15")
    assert moment.replace(tzinfo=None) == MOMENT


def test_a_locale_formatted_date_input_would_be_caught() -> None:
    class Bad(forms.Form):
        on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    found = problems(Bad)  # under the settings' en-gb
    assert any("'01/12/2026'" in p for p in found), found
    assert sum("not aiom.core.forms" in p for p in found) == 2, found


def test_the_shared_widgets_keep_what_is_stored() -> None:
    date, moment = forms.DateField(widget=DateInput()), forms.DateTimeField(widget=DateTimeInput())
    assert rendered_value(date, "d", DAY) == ("date", "2026-12-01")
    assert rendered_value(moment, "m", MOMENT)[1] == "2026-12-01T09:30:15"
    assert rendered_value(moment, "m", MOMENT.replace(second=0))[1] == "2026-12-01T09:30"
    precise = MOMENT.replace(microsecond=250_000)
    assert rendered_value(moment, "m", precise)[1] == "2026-12-01T09:30:15.250"
    # and what the browser sends back parses to the same value
    assert date.clean("2026-12-01") == DAY
    assert moment.clean("2026-12-01T09:30:15.250").replace(tzinfo=None) == precise


def textarea_problems(form_class: type[forms.BaseForm]) -> list[str]:
    out = []
    for name, field in fields_of(form_class).items():
        widget = field.widget
        if isinstance(widget, forms.Textarea) and not isinstance(widget, Textarea):
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            out.append(f"{where}: a textarea that keeps the browser's CRLF")
        elif isinstance(widget, Textarea):
            sent = {name: "one\r\ntwo\rthree"}
            if field.clean(widget.value_from_datadict(sent, {}, name)) != "one\ntwo\nthree":
                out.append(f"{form_class.__qualname__}.{name}: line breaks not read back as LF")
    return out


def test_every_textarea_of_every_form_reads_line_breaks_back_as_shown() -> None:
    found = [p for form_class in FORMS for p in textarea_problems(form_class)]
    assert not found, "\n".join(found)
    assert sum(isinstance(f.widget, Textarea) for c in FORMS for f in fields_of(c).values()) >= 10


def test_a_plain_textarea_would_be_caught() -> None:
    class Bad(forms.Form):
        notes = forms.CharField(widget=forms.Textarea)

    assert textarea_problems(Bad) == [
        f"{__name__}.{Bad.__qualname__}.notes: a textarea that keeps the browser's CRLF"
    ]


# Forms that never start from a stored value, and why.
STARTS_EMPTY = {"aiom.inventory.views.UploadForm": "an inventory upload: nothing stored to keep"}


def test_every_form_with_choices_offers_the_value_it_starts_from() -> None:
    """A browser cannot keep a value missing from a select's options (a retired theme, a
    deactivated person): every form with a choice field keeps its current value."""
    lacking = [
        f"{c.__module__}.{c.__qualname__}"
        for c in FORMS
        if any(isinstance(f, forms.ChoiceField) for f in fields_of(c).values())
        and not issubclass(c, KeepsCurrentChoices)
        and f"{c.__module__}.{c.__qualname__}" not in STARTS_EMPTY
    ]
    assert not lacking, "derive these from aiom.core.forms.KeepsCurrentChoices:\n" + "\n".join(
        lacking
    )


@pytest.mark.django_db
def test_a_choice_no_longer_offered_is_still_offered_when_it_is_the_current_value() -> None:
    from aiom.portfolio.models import Theme

    live = Theme.objects.create(key="live", name="Live", is_active=True)
    retired = Theme.objects.create(key="retired", name="Retired", is_active=False)

    class Pick(KeepsCurrentChoices, forms.Form):
        theme = forms.ModelChoiceField(queryset=Theme.objects.filter(is_active=True))
        status = forms.ChoiceField(choices=[("open", "Open")])

    shown = str(Pick(initial={"theme": retired.pk, "status": "closed"}))
    assert f'value="{retired.pk}" selected' in shown and 'value="closed" selected' in shown
    data = {"theme": str(retired.pk), "status": "closed"}
    kept = Pick(data, initial={"theme": retired, "status": "closed"})
    assert kept.is_valid(), kept.errors
    assert kept.cleaned_data["theme"] == retired
    # without it being the current value, the retired theme is not offered
    fresh = str(Pick())
    assert f'value="{retired.pk}"' not in fresh and f'value="{live.pk}"' in fresh
    assert not Pick({"theme": str(retired.pk), "status": "open"}).is_valid()


TEMPLATES = Path(aiom.__file__).parent / "templates"
HAND_WRITTEN = re.compile(r'<input\b[^>]*\btype="(date|datetime-local)"[^>]*>')
VALUE = re.compile(r'\bvalue="([^"]*)"')
# Hand-written date inputs whose value is ISO text by construction, and why.
ISO_TEXT = {
    "{{ data.measured_on|default:'' }}": "the submitted text, shown again on a refusal",
    "{{ data.period_start|default:'' }}": "the submitted text, shown again on a refusal",
    "{{ data.period_end|default:'' }}": "the submitted text, shown again on a refusal",
    "{{ row.by|default:'' }}": "theme targets store `by` as ISO text (update_theme)",
    "{{ ends_on }}": "lifecycle.views.pilot_plan passes ends_on.isoformat()",
}


def test_hand_written_date_inputs_render_iso() -> None:
    """A template's own `<input type="date">` formats a date with |date:"Y-m-d" (the locale's
    format would be discarded by the browser), or its value is listed above as ISO text."""
    found, seen = [], set()
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in HAND_WRITTEN.finditer(path.read_text()):
            value = VALUE.search(tag.group(0))
            text = value.group(1) if value else ""
            seen.add(text)
            iso = "|date:'Y-m-d" in text or '|date:"Y-m-d' in text
            if "{{" in text and not iso and text not in ISO_TEXT:
                found.append(f"{path.relative_to(TEMPLATES)}: {tag.group(0)[:120]}")
    assert not found, "\n".join(found)
    assert not set(ISO_TEXT) - seen, "no longer in a template, remove from ISO_TEXT"


NUMERIC = re.compile(r'<input\b[^>]*\b(?:inputmode="decimal"|type="number")[^>]*>')


def test_hand_written_number_inputs_are_not_localised() -> None:
    """A number from the database in a template's own input is written with `|unlocalize`:
    under a decimal-comma locale `9,5` is discarded by a number input and refused by the
    service. The submitted text shown again on a refusal (`data.…`) is exempt."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in NUMERIC.finditer(path.read_text()):
            value = VALUE.search(tag.group(0))
            text = value.group(1) if value else ""
            if "{{" in text and "unlocalize" not in text and "{{ data." not in text:
                found.append(f"{path.relative_to(TEMPLATES)}: {tag.group(0)[:120]}")
    assert not found, "\n".join(found)


def test_a_decimal_comma_locale_leaves_hand_written_numbers_alone(settings: Any) -> None:
    settings.LANGUAGE_CODE = "de"
    row = Template("{% load l10n %}{{ x|default_if_none:''|unlocalize }} {{ x }}")
    assert row.render(Context({"x": 1250.5})) == "1250.5 1250,5"


def test_an_initial_value_from_the_request_cannot_widen_a_narrowed_choice(world: Any) -> None:
    """The incident form starts from `?use_case=` (request input): it narrows its use cases
    to the visible ones after KeepsCurrentChoices ran, so a hidden one is never offered."""
    from aiom.monitoring.forms import IncidentForm
    from aiom.portfolio.models import UseCase

    hidden = world.wealth_secret
    visible = UseCase.objects.visible_to(world.alice)
    form = IncidentForm(initial={"use_case": hidden.pk}, use_cases=visible)
    field = form.fields["use_case"]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None and not field.queryset.filter(pk=hidden.pk).exists()
    assert hidden.title not in str(form)
    posted = IncidentForm(
        {"use_case": str(hidden.pk)}, initial={"use_case": hidden.pk}, use_cases=visible
    )
    assert "use_case" in posted.errors


@pytest.mark.parametrize("typed", ["²", "99999999999999999999999", "abc", " 7x"])
def test_a_current_value_that_cannot_be_a_key_is_ignored(world: Any, typed: str) -> None:
    """A form's starting value may come from a URL: one that cannot be a stored row's key
    neither crashes the form nor widens its choices."""
    from aiom.core.forms import keep_current
    from aiom.portfolio.models import UseCase

    field = forms.ModelChoiceField(queryset=UseCase.objects.filter(pk=world.alice_uc.pk))
    keep_current(field, typed)
    assert field.queryset is not None
    assert list(field.queryset) == [world.alice_uc]
