"""Every API schema has its own name: OpenAPI keys components by class name, so two
classes called the same would silently document one body for both operations."""

from collections import defaultdict

from ninja import Schema

import aiom.api  # imports every router and its schemas


def subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        found |= {sub} | subclasses(sub)
    return found


def test_schema_names_are_unique_across_apps() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in subclasses(Schema):
        if cls.__module__.startswith("aiom."):
            by_name[cls.__name__].append(cls.__module__)
    clashes = {name: mods for name, mods in by_name.items() if len(mods) > 1}
    assert clashes == {}


def test_the_openapi_document_builds() -> None:
    schema = aiom.api.api.get_openapi_schema()
    assert len(schema["paths"]) > 90 and "ObligationStatusIn" in schema["components"]["schemas"]
