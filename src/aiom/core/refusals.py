"""Bad input answers 4xx, never 5xx: one middleware for every page and API call.

Before a view runs, a request is refused when its query string or an API JSON body holds
text aiom never accepts (`aiom.core.text`: control characters, unpaired surrogates); the
answer names the parameter or the body's field. A page's form body is left to the form and
its service, which refuse such text on the field (Django's fields refuse NUL, the pre_save
check the rest), so nothing typed is lost.

After a view, what a view let through is answered as what it is: InvalidInput (400, each
message on its field), a unique or check constraint (409, naming the field; see
`aiom.core.integrity`), a number too large for the database (an id past 64 bits in a
read names nothing: 404; in a write: 400). The API has the same answers in
`aiom.core.api_support`; ninja answers there before this middleware sees them.
"""

import json
from collections.abc import Callable

from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from aiom.core import integrity, text
from aiom.core.errors import InvalidInput

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _problem(request: HttpRequest, errors: dict[str, str], status: int) -> HttpResponse:
    if _is_api(request):
        detail = [
            {"loc": loc.split("."), "msg": msg, "type": "invalid"} for loc, msg in errors.items()
        ]
        return JsonResponse({"detail": detail}, status=status)
    context = {"problems": sorted(errors.items())}
    return render(request, "400.html", context, status=status)


def _query_problems(request: HttpRequest) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, values in request.GET.lists():
        if found := text.problem(key):
            errors["query"] = f"a parameter's name {found}"
            continue
        for value in values:
            if found := text.problem(value):
                errors.setdefault(f"query.{key}", found)
    return errors


def _json_problems(request: HttpRequest) -> dict[str, str]:
    # ninja reads a body as JSON whatever its Content-Type says, so every non-form body is
    # read here too
    forms = {"multipart/form-data", "application/x-www-form-urlencoded"}
    if not _is_api(request) or request.content_type in forms or not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        return {}  # ninja answers an unreadable (or absurdly nested) body itself: 400
    return {text.dotted(("body", *where)): message for where, message in text.problems_in(data)}


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = _query_problems(request) or _json_problems(request)
        if errors:
            return _problem(request, errors, 422 if _is_api(request) else 400)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, InvalidInput):
            return _problem(request, exc.errors, 422 if _is_api(request) else 400)
        if isinstance(exc, IntegrityError):
            refused = integrity.as_invalid_input(exc)
            return _problem(request, refused.errors, 409) if refused else None
        if isinstance(exc, OverflowError):
            # SQLite's adapter refuses an int past 64 bits: as an id it names nothing
            status = 404 if request.method == "GET" else 400
            return _problem(request, {"__all__": "a number is out of range"}, status)
        if isinstance(exc, DataError):
            return _problem(request, {"__all__": "a value is out of range"}, 400)
        return None
