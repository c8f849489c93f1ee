"""A hostile policy draft is refused cheaply with the limit it breaks, never a 5xx.

The same documents go through every door a policy has: the API (validate, simulate,
activate), the policy page and `aiom policy validate`. Each is refused naming the limit,
quickly (the billion laughs would otherwise build a billion-string structure).
"""

import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from aiom.core import safe_yaml, tokens
from aiom.governance.models import PolicyVersion
from aiom.governance.policy.schema import PolicyError
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH, load_text
from tests.conftest import World


def _laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        name, prev = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def _alias_chain() -> str:
    lines = ["a0: &a0 [x]"]
    lines += [f"a{i}: &a{i} [[[[[[[[*a{i - 1}]]]]]]]]" for i in range(1, 40)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "billion laughs": (_laughs(), "once its aliases are expanded"),
    "deep flow nesting": ("[" * 50_000 + "]" * 50_000, "nested more than 32 levels deep"),
    "deep block nesting": ("".join(" " * i + "k:\n" for i in range(100)), "32 levels deep"),
    "nesting through aliases": (_alias_chain(), "32 levels deep (with aliases)"),
    "self-referring alias": ("a: &a [1, *a]\n", "an alias refers to a node containing it"),
    "many aliases": ("a: &a x\nb: [" + ", ".join(["*a"] * 500) + "]\n", "more than 200 aliases"),
    "huge document": ("name: x\n" + "# padding\n" * 60_000, "a policy may have at most 500,000"),
}


@pytest.mark.parametrize(
    "document",
    [
        "name: " + "9" * 5_000,  # past Python's int-from-text limit
        "name: x\nvalid_from: 2001-13-45",
        "name: !!timestamp 'soon'",
        "name: !!float 'x'",
    ],
)
def test_values_yaml_cannot_construct_are_problems_not_crashes(document: str) -> None:
    with pytest.raises(PolicyError) as refused:
        load_text(document)
    assert "a value YAML cannot read" in refused.value.problems[0]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_the_loader_refuses_each_hostile_document_quickly(case: str) -> None:
    document, limit = HOSTILE[case]
    started = time.perf_counter()
    with pytest.raises(PolicyError) as refused:
        load_text(document)
    assert time.perf_counter() - started < 2.0
    assert any(limit in p for p in refused.value.problems), refused.value.problems


def test_the_shipped_policy_is_well_within_the_limits() -> None:
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8")
    assert len(text) * 10 < safe_yaml.MAX_CHARS
    load_text(text)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_every_door_answers_4xx_naming_the_limit(
    case: str, client: Client, world: World, login: Any, tmp_path: Path
) -> None:
    document, limit = HOSTILE[case]
    _, plaintext = tokens.create_token(
        actor=None, user=world.ada, name="p", scopes=("read", "write", "admin")
    )
    bearer = {"Authorization": f"Bearer {plaintext}"}
    versions = PolicyVersion.objects.count()
    for path in ("validate", "simulate", "activate"):
        response = client.post(
            f"/api/v1/policy/{path}",
            {"content": document},
            content_type="application/json",
            headers=bearer,
        )
        body = response.content.decode()
        if case == "huge document":  # the API's schema refuses it before the loader
            assert response.status_code == 422, (path, body)
            assert "500000" in body
        elif path == "validate":
            assert response.status_code == 200
            assert response.json()["valid"] is False
            assert limit in body
        else:
            assert response.status_code == 422, (path, body)
            assert limit in body
    page = login("ada").post("/policy/validate/", {"content": document})
    assert page.status_code == 422
    assert limit.replace(",", "") in page.content.decode().replace(",", "")
    assert PolicyVersion.objects.count() == versions

    draft = tmp_path / "draft.yaml"
    draft.write_text(document, encoding="utf-8")
    with pytest.raises(CommandError) as cli:
        call_command("policy", "validate", str(draft))
    assert limit in str(cli.value)
