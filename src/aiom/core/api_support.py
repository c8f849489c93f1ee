"""What every API router shares: authentication, scopes, and error shapes.

Errors follow one shape: `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}` for 422
(the same as ninja's own validation errors) and `{"detail": "..."}` otherwise.
"""

from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth

from aiom.core import throttle, tokens
from aiom.core.errors import GateBlocked, InvalidInput, PermissionDenied, StaleVersion

ALL_SCOPES = frozenset({"read", "write", "admin"})


class BearerToken(HttpBearer):
    """`Authorization: Bearer aiom_...`; the token's user becomes request.user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = tokens.authenticate(token)
        if found is None:
            # Only failures pay for throttling: a good token costs no extra query.
            address = throttle.client_address(request)
            locked = throttle.lockout(username="", address=address)
            if locked is None:
                locked = throttle.record_failure(username="", address=address, kind="token")
            if locked is not None:
                raise HttpError(429, locked.message())
            return None
        request.user = found.user
        request.aiom_scopes = frozenset(found.scopes)  # type: ignore[attr-defined]
        return found.user


class Session(SessionAuth):
    """The web UI's session cookie; CSRF-checked on unsafe methods by ninja."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            request.aiom_scopes = ALL_SCOPES  # type: ignore[attr-defined]
        return user


AUTH = [BearerToken(), Session()]

# Every list endpoint paginates with ninja's LimitOffsetPagination, whose offset has no
# upper bound: ?offset=10**30 reached the database and failed there (500; found by the API
# fuzzer). Bounded here, once, for every router: the app modules import this module before
# they decorate their views, and ninja reads `Input` when @paginate decorates.
MAX_OFFSET = 2**53


class _BoundedOffsetInput(LimitOffsetPagination.Input):
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


LimitOffsetPagination.Input = _BoundedOffsetInput  # type: ignore[misc]


def require_scope(request: HttpRequest, scope: str) -> None:
    if scope not in getattr(request, "aiom_scopes", frozenset()):
        raise PermissionDenied(f"this token lacks the '{scope}' scope")


def install_error_handlers(api: NinjaAPI) -> None:
    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, InvalidInput)
        detail = [
            {"loc": ["body", field], "msg": msg, "type": "invalid"}
            for field, msg in exc.errors.items()
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=403)

    def stale(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, StaleVersion)
        body = {
            "detail": str(exc),
            "your_version": exc.expected,
            "current_version": exc.current,
            "changed": exc.changed,
        }
        return api.create_response(request, body, status=409)

    def blocked(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, GateBlocked)
        body = {"detail": "the policy refuses this move", "reasons": exc.reasons}
        return api.create_response(request, body, status=409)

    def out_of_range(request: HttpRequest, exc: Any) -> HttpResponse:
        # A number (or text) beyond what the database column or adapter takes, e.g.
        # ?offset=10**30: SQLite's adapter raises OverflowError, PostgreSQL a DataError.
        detail = [{"loc": ["query"], "msg": "a value is out of range", "type": "out_of_range"}]
        return api.create_response(request, {"detail": detail}, status=422)

    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(DataError, out_of_range)
    api.add_exception_handler(GateBlocked, blocked)
    api.add_exception_handler(InvalidInput, invalid)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(StaleVersion, stale)
