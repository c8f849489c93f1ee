"""Per-request context that services read without it being threaded through every call.

The request id ties together every audit event one web request, API call or CLI run
wrote. Outside a request a fresh id is made per process run.
"""

import uuid
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("aiom_request_id", default=None)
_process_id = f"run-{uuid.uuid4().hex[:16]}"


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str:
    return _request_id.get() or _process_id


def request_in_progress() -> str | None:
    """The id of the web request or API call being answered; None outside one (CLI, tests
    calling services directly), where nothing may be kept "for this request"."""
    return _request_id.get()


def set_request_id(value: str | None) -> object:
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]
