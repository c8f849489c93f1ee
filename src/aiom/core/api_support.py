"""What every API router shares: authentication, scopes, and error shapes.

Scopes: `read` for every call, `write` for every change, `admin` for the caller's
administrator role (without it a token acts as its person without that role; see
`organisation.access`, asked through `core.viewers`). External partners hold `read` only,
whatever their token says: `require_scope` refuses them every other scope, so no API
write reaches a service for them.

Errors follow one shape: `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}` for 422
(the same as ninja's own validation errors) and `{"detail": "..."}` otherwise.
"""

from typing import Any

from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth

from aiom.core import integrity, throttle, tokens
from aiom.core.errors import GateBlocked, InvalidInput, PermissionDenied, StaleVersion
from aiom.core.viewers import viewer

ALL_SCOPES = frozenset({"read", "write", "admin"})


class Throttled(Exception):  # noqa: N818 - named for what the client is
    """A bad token from an address that must wait: 429 with Retry-After."""

    def __init__(self, lockout: throttle.Lockout) -> None:
        self.lockout = lockout
        super().__init__(lockout.message())


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
                raise Throttled(locked)
            return None
        scopes = frozenset(found.scopes)
        # Before anything computes the user's access: the admin scope decides is_admin.
        setattr(found.user, tokens.TOKEN_SCOPES_ATTR, scopes)
        request.user = found.user
        request.aiom_scopes = scopes  # type: ignore[attr-defined]
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
    """Refuse a call whose token lacks `scope`, and any scope but `read` to a partner."""
    if scope not in getattr(request, "aiom_scopes", frozenset()):
        raise PermissionDenied(f"this token lacks the '{scope}' scope")
    if scope != "read" and viewer(request.user).is_external:
        raise PermissionDenied("external partners may read, never write")


def install_error_handlers(api: NinjaAPI) -> None:
    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, InvalidInput)
        detail = [
            {"loc": ["body", field], "msg": msg, "type": "invalid"}
            for field, msg in exc.errors.items()
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        detail = str(exc)
        if viewer(request.user).admin_withheld:
            detail += " (this token lacks the 'admin' scope, so it acts without the"
            detail += " administrator role)"
        return api.create_response(request, {"detail": detail}, status=403)

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

    def throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, Throttled)
        response = api.create_response(request, {"detail": str(exc)}, status=429)
        response["Retry-After"] = str(exc.lockout.seconds_left())
        return response

    def constraint(request: HttpRequest, exc: Any) -> HttpResponse:
        # A unique or check constraint a write hit (a race past the service's own check, or
        # a constraint no service checks): the field it names, never a 5xx.
        refused = integrity.as_invalid_input(exc)
        if refused is None:
            raise exc
        detail = [
            {"loc": ["body", field], "msg": msg, "type": "conflict"}
            for field, msg in refused.errors.items()
        ]
        return api.create_response(request, {"detail": detail}, status=409)

    api.add_exception_handler(IntegrityError, constraint)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(DataError, out_of_range)
    api.add_exception_handler(GateBlocked, blocked)
    api.add_exception_handler(InvalidInput, invalid)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(StaleVersion, stale)
