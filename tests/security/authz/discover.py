"""Every page route and every API operation, enumerated rather than hand-listed.

Pages come from walking Django's URL resolver; API operations from the OpenAPI schema.
A page is keyed by its route pattern (`use-cases/<int:pk>/`), an operation by
`METHOD /api/v1/path` (`GET /api/v1/use-cases/{use_case_id}`).
"""

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from aiom.api import api

API_PREFIX = "api/v1/"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def page_routes() -> list[str]:
    """Every route outside the API, as its pattern string (`''` is the root)."""
    return sorted({r for r in _walk(get_resolver().url_patterns) if not r.startswith(API_PREFIX)})


def api_operations() -> list[str]:
    """Every API operation as 'METHOD /api/v1/path' from the OpenAPI schema."""
    schema = api.get_openapi_schema()
    return sorted(
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    )
