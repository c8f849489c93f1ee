"""One way to choose a person in a form, whatever the headcount: a search box.

`PersonField(pool="internal")` is a ModelChoiceField whose widget never lists the pool. It
renders a text input (a WAI-ARIA combobox once static/aiom/person-picker.js runs: the
suggestions come from GET /api/v1/people/search over the same pool) and a hidden input
with the chosen person's id. Without JavaScript the text is the answer: the server
resolves it exactly, by username, email or the picker's own "Name (username)", and says
so clearly when it names nobody or several people.

A POST that carries only `<name>` (an id, as before this widget) is read as an id.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template import loader
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from aiom.organisation import people_search

TEXT_SUFFIX = "__q"


class PersonPicker(forms.Widget):
    template_name = "organisation/_person_picker.html"

    def __init__(self, pool: str = "internal", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.pool = pool
        self.choices: Any = ()  # ModelChoiceField hands its choices here; never iterated

    def __deepcopy__(self, memo: dict[int, Any]) -> "PersonPicker":
        copy = super().__deepcopy__(memo)
        copy.choices = self.choices
        return copy

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> Any:
        """Through the project's template engine (the widget's template lives there)."""
        return mark_safe(loader.render_to_string(template_name, context))  # noqa: S308

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name + TEXT_SUFFIX not in data:
            return data.get(name)
        return (data.get(name) or "", data.get(name + TEXT_SUFFIX) or "")

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + TEXT_SUFFIX not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        pk, text = ("", "")
        if isinstance(value, tuple):  # a bound form shown again: what was sent
            pk, text = value
        elif value not in (None, ""):
            person = getattr(self, "person", None)
            if person is None or str(person.pk) != str(value):
                person = self.lookup(value)
            if person is not None:
                pk, text = str(person.pk), people_search.label(person)
        base = widget["attrs"].get("id") or name
        described = " ".join(
            filter(None, [f"{base}-hint", widget["attrs"].get("aria-describedby")])
        )
        widget["attrs"] = {
            **widget["attrs"],
            "id": base,
            "autocomplete": "off",
            "spellcheck": "false",
            "maxlength": 200,
            "placeholder": "Name, username or email",
            "aria-describedby": described,
        }
        widget.update(
            list_id=f"{base}-listbox",
            hint_id=f"{base}-hint",
            pk=pk,
            text=text,
            text_name=name + TEXT_SUFFIX,
            url=reverse("api:people_search") + "?" + urlencode({"pool": self.pool}),
        )
        return context

    def lookup(self, value: Any) -> Any:
        """The person an initial value (id or row) stands for, or None."""
        if hasattr(value, "pk"):
            return value
        found = (
            people_search.User.objects.filter(pk=value).first() if str(value).isdigit() else None
        )
        return found


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A person from `pool` (see organisation.people_search.pool), chosen by search."""

    widget = PersonPicker

    def __init__(self, *, pool: str = "internal", **kwargs: Any) -> None:
        kwargs.setdefault("widget", PersonPicker(pool))
        super().__init__(queryset=people_search.pool(pool), **kwargs)
        self.pool = pool

    def label_from_instance(self, obj: Any) -> str:
        return people_search.label(obj)

    def prepare_value(self, value: Any) -> Any:
        if hasattr(value, "pk"):
            self.widget.person = value  # type: ignore[attr-defined]  # saves a lookup
            return value.pk
        return value

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, tuple):
            return super().to_python(value)
        pk, text = (str(value[0]).strip(), str(value[1]).strip())
        if not text:
            return None
        people: Any = self.queryset
        if pk.isdigit():
            chosen = people.filter(pk=pk).first()
            said = text.casefold()
            if chosen is not None and said in {
                people_search.label(chosen).casefold(),
                chosen.username.casefold(),
                (chosen.email or "").casefold(),
            }:
                return chosen
        found = people_search.resolve(people, text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                f"Nobody here is called “{text[:100]}”: pick a suggestion, or type a "
                "username or email exactly.",
                code="invalid_choice",
            )
        raise ValidationError(
            f"“{text[:100]}” names more than one person: type their username.",
            code="ambiguous",
        )

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            chosen = self.to_python(data)
        except ValidationError:
            return True
        before = getattr(initial, "pk", initial)
        after = getattr(chosen, "pk", chosen)
        return str(before or "") != str(after or "")
