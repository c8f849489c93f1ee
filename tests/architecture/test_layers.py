"""The layers hold: core knows no domain, and organisation sits below portfolio.

Read from the source with `ast` (scripts/architecture.py's walk), so an import is found
wherever it sits: at module level, inside a function (a "late" import that dodges a loop
at load time), or under `if TYPE_CHECKING:`. Migrations are left out, as they are from the
figures. Core asks the domain through settings and registries (core.viewers, core.oidc's
OIDC_PERSON_FROM_CLAIMS, core.registry); organisation shows portfolio's use cases on
its pages through portfolio's template tags.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def architecture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("architecture", ROOT / "scripts/architecture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("architecture", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def imports_out_of(architecture: ModuleType, app: str, *allowed: str) -> list[str]:
    """Every import from `app` into another aiom app but `allowed`, as
    "module:line -> target (kind)"."""
    graph = architecture.build()
    return sorted(
        f"{e.source}:{e.line} -> {e.target} ({e.kind})"
        for e in graph.edges
        if architecture.app_of(e.source) == app
        and architecture.app_of(e.target) not in (app, "aiom", *allowed)
    )


def test_core_imports_no_other_app(architecture: ModuleType) -> None:
    assert imports_out_of(architecture, "core") == []


def test_organisation_imports_only_core(architecture: ModuleType) -> None:
    """Every other app builds on the organisation (units, people, access); it imports
    none of them, portfolio least of all."""
    assert imports_out_of(architecture, "organisation", "core") == []


def test_no_app_imports_another_inside_a_function(architecture: ModuleType) -> None:
    """A late import dodges an import loop instead of removing it: an app that needs
    another imports it at load time, registers through core.registry, or names a model by
    string (`"portfolio.UseCase"`, a lazy signal sender). apps.py registers through
    model-free helper modules (core.audit_hooks), so it needs no late import either."""
    graph = architecture.build()
    late = sorted(
        f"{e.source}:{e.line} -> {e.target}"
        for e in graph.edges
        if e.kind == "late"
        and architecture.app_of(e.source) != architecture.app_of(e.target)
        and "aiom" not in (architecture.app_of(e.source), architecture.app_of(e.target))
    )
    assert late == []


def test_no_two_apps_import_each_other_beyond_the_known_pairs(architecture: ModuleType) -> None:
    """Issue 16 left these pairs (each a layer that reads and is read back); a new pair
    fails here: cut it with a registry store or by moving the code to the app above."""
    found = architecture.figures(architecture.build())
    assert set(found["_mutual"]) <= KNOWN_MUTUAL, found["_mutual"]


KNOWN_MUTUAL = {"governance <-> lifecycle", "lifecycle <-> value"}


def test_no_modules_import_each_other_in_a_loop(architecture: ModuleType) -> None:
    """Modules import one way (late imports counted): a loop is broken by moving code to
    the module above both, never by hiding an import inside a function."""
    assert architecture.figures(architecture.build())["_loops"] == []
