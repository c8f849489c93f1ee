"""Domain errors that every interface (page, API, CLI) turns into its own kind of answer."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class InvalidInput(Exception):  # noqa: N818 - reads better at call sites than InvalidInputError
    """Input a service refused; `errors` maps each offending field to a readable message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))

    @property
    def sentence(self) -> str:
        """The messages as one text for a page's error line (fields left out)."""
        return " ".join(self.errors.values())

    def add_to(self, form: Any) -> None:
        """Show the refusal on a Django form: each message on its field, or on the form
        as a whole when the form has no such field."""
        for field, message in self.errors.items():
            form.add_error(field if field in form.fields else None, message)


class StaleVersion(Exception):  # noqa: N818
    """An edit was based on an older version of the object than the one stored."""

    def __init__(self, expected: int, current: int, changed: dict[str, object]) -> None:
        self.expected = expected
        self.current = current
        self.changed = changed
        super().__init__(
            f"edited version {expected} but the stored version is {current}"
            + (f" (changed since: {', '.join(sorted(changed))})" if changed else "")
        )


class PermissionDenied(DjangoPermissionDenied):
    """The actor may not do this. Pages answer 403 for it, as for Django's own."""


class GateBlocked(Exception):  # noqa: N818
    """A lifecycle move the policy refuses; `reasons` lists every failing check."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(" ".join(reasons))
