"""core.safe_yaml: the one YAML loader, its limits and its one error shape, for every
kind of document aiom reads (policy, maturity model, obligations pack, import mapping)."""

from collections.abc import Callable
from typing import Any

import pytest

from aiom.core import safe_yaml
from aiom.core.documents import DocumentError
from aiom.governance.policy.versions import load_text as load_policy
from aiom.insights.maturity.model import load_text as load_model
from aiom.inventory.mapping import MappingError, load_mapping
from aiom.obligations.pack import load_text as load_pack

LOADERS: list[Callable[[str], Any]] = [load_policy, load_model, load_pack, load_mapping]
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
)


def problems(load: Callable[[str], Any], text: str) -> list[str]:
    """What the document's own error type (a DocumentError, or MappingError) lists."""
    try:
        load(text)
    except (DocumentError, MappingError) as exc:
        return exc.problems
    raise AssertionError("the document was accepted")


@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__module__)
def test_bad_yaml_names_line_and_column(load: Callable[[str], Any]) -> None:
    (problem,) = problems(load, "key: value\nother: [unclosed\n")
    assert problem.startswith("line 3, column 1: not valid YAML (")


@pytest.mark.parametrize("load", LOADERS, ids=lambda f: f.__module__)
def test_an_alias_bomb_is_refused_before_it_expands(load: Callable[[str], Any]) -> None:
    (problem,) = problems(load, BOMB)
    assert problem.startswith("(document): more than 200,000 values once its aliases")


def test_the_callers_error_and_words() -> None:
    with pytest.raises(MappingError, match="a mapping may have at most"):
        safe_yaml.load("x" * (safe_yaml.MAX_CHARS + 1), what="a mapping", error=MappingError)
    with pytest.raises(ValueError, match=r"line 1, column 4: not valid YAML \(could not"):
        safe_yaml.load("a: !!python/object/apply:os.system [echo]\n")
