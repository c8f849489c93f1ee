"""PersonField: a person chosen by search; without JavaScript the typed text is resolved
exactly (username, email, or the picker's "Name (username)"), never by a list of everyone."""

from typing import Any

import pytest
from django import forms

from aiom.organisation import services as org
from aiom.organisation.person_picker import PersonField
from tests.conftest import World, make_person


class OwnerForm(forms.Form):
    owner = PersonField(required=False)


def chosen(data: dict[str, str]) -> Any:
    form = OwnerForm(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data["owner"]


def error(data: dict[str, str]) -> str:
    form = OwnerForm(data)
    assert not form.is_valid()
    return " ".join(str(e) for e in form.errors["owner"])


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("bob", "bob"),
        ("BOB", "bob"),
        ("bob@example.com", "bob"),
        ("Bob Example (bob)", "bob"),
        ("Whatever it says (charlie)", "charlie"),
        ("  rita  ", "rita"),
    ],
)
def test_typed_text_resolves_exactly(world: World, typed: str, who: str) -> None:
    assert chosen({"owner": "", "owner__q": typed}) == getattr(world, who)


def test_the_hidden_id_counts_while_the_text_still_names_that_person(world: World) -> None:
    picked = {"owner": str(world.bob.pk), "owner__q": "Bob Example (bob)"}
    assert chosen(picked) == world.bob
    # The text was changed after picking (no JavaScript to clear the id): the text wins.
    assert chosen({"owner": str(world.bob.pk), "owner__q": "alice"}) == world.alice
    assert chosen({"owner": str(world.bob.pk), "owner__q": ""}) is None


def test_unknown_and_ambiguous_text_say_so(world: World) -> None:
    assert "Nobody here is called “Bobby”" in error({"owner": "", "owner__q": "Bobby"})
    make_person("robert", world.retail)
    org.update_person(actor=None, user=world.bob, email="shared@example.com")
    org.update_person(actor=None, user=world.alice, email="SHARED@example.com")
    assert "more than one person" in error({"owner": "", "owner__q": "shared@example.com"})
    # Partial text is never a choice: the server does not guess.
    assert "Nobody here" in error({"owner": "", "owner__q": "Example"})


def test_the_pool_bounds_what_text_can_name(world: World) -> None:
    assert "Nobody here" in error({"owner": "", "owner__q": "pat"})  # a partner
    assert "Select a valid choice" in error({"owner": str(world.pat.pk)})


def test_a_plain_id_is_still_read_as_before(world: World) -> None:
    assert chosen({"owner": str(world.rita.pk)}) == world.rita
    assert chosen({}) is None


def test_it_renders_one_text_field_and_the_id_never_the_pool(
    world: World, django_assert_max_num_queries: Any
) -> None:
    form = OwnerForm(initial={"owner": world.bob})
    with django_assert_max_num_queries(0):
        html = str(form["owner"])
    assert "<option" not in html and "<select" not in html
    assert 'value="Bob Example (bob)"' in html
    assert f'type="hidden" name="owner" value="{world.bob.pk}"' in html
    assert 'role="listbox"' in html and 'aria-describedby="id_owner-hint"' in html
    assert "/api/v1/people/search?pool=internal" in html


def test_has_changed_compares_people_not_text(world: World) -> None:
    field = OwnerForm().fields["owner"]
    assert not field.has_changed(world.bob.pk, (str(world.bob.pk), "Bob Example (bob)"))
    assert field.has_changed(world.bob.pk, ("", "alice"))
    assert field.has_changed(world.bob.pk, ("", "nobody-at-all"))
