"""API answers whose data is already typed, written as JSON without validating it again.

ninja validates whatever a view returns against the operation's response schema: worth it
for ORM objects, wasted on rows read as typed columns (`.values()`: dates, decimals,
booleans and JSON come back from the database as what the schema declares). On the
use-case list that validation was about a third of the request (issue 15). A view that
builds its answer from such rows returns `typed_response(...)`; the `response=` schema of
its decorator still documents it, so the OpenAPI document does not change, and a test per
endpoint proves the JSON is the same byte for byte as the validated path's.

`paginate_typed(rows)` is ninja's `@paginate(LimitOffsetPagination)` for such views: the
same query parameters (limit, offset, bounded by `api_support`), the same `Paged<Schema>`
response in the OpenAPI document and the same `{"items": [...], "count": n}` body; the
view returns its queryset and `rows` turns the page's slice into the items.
"""

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja.pagination import LimitOffsetPagination, make_response_paginated
from ninja.renderers import JSONRenderer
from ninja.utils import contribute_operation_args, contribute_operation_callback

from aiom.core import api_support  # noqa: F401 - bounds LimitOffsetPagination's offset first

# The renderer NinjaAPI uses by default (aiom's API sets no other): the same encoder for
# dates, datetimes and decimals as the validated path.
RENDERER = JSONRenderer()
CONTENT_TYPE = f"{RENDERER.media_type}; charset={RENDERER.charset}"

Rows = Callable[[QuerySet[Any]], list[dict[str, Any]]]


def typed_response(request: HttpRequest, data: Any, status: int = 200) -> HttpResponse:
    """`data` as the JSON body, as ninja would write it after validation."""
    content = RENDERER.render(request, data, response_status=status)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPE)


def paginate_typed(rows: Rows) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Limit/offset pagination of a view returning a queryset, its page built by `rows`."""
    paginator = LimitOffsetPagination()

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            page = kwargs.pop("ninja_pagination", None) or paginator.Input.model_validate({})
            queryset = func(request, **kwargs)
            offset = page.offset
            limit = min(page.limit, paginator.max_limit)
            items = rows(queryset[offset : offset + limit])
            return typed_response(request, {"items": items, "count": queryset.count()})

        contribute_operation_args(view, "ninja_pagination", paginator.Input, paginator.InputSource)
        contribute_operation_callback(view, partial(make_response_paginated, paginator))
        view._ninja_is_paginated = True  # type: ignore[attr-defined]
        return view

    return decorate
