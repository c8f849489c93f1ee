"""The policy's sections: each app's settings, registered by the app that reads them.

The governance schema (`policy_schema.py`) knows the operating model itself: stages,
transitions, gates, questionnaire, approvals. What an app needs from the policy (the
catalogue's data rules, literacy's targets, the public register's stages...) is that app's
section: a `Strict` schema class in the app's own `policy.py`, put into the registry's
`policy_sections` store from its AppConfig.ready() by `register`. The root schema is
assembled from the store on first use, after every app is ready (`policy_schema`).

A section's default is its schema's: a policy without the section gets the schema class
built with no arguments (or None for an `optional` section). A field listing stages is
annotated `StageList(...)`: the policy checks every key against its stages and fills an
unset list from the policy's stage roles (a schema cannot know a policy's keys).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiom.core.documents import Strict
from aiom.core.registry import add, entries
from aiom.portfolio.vocabulary import StageRole

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy

STORE = "policy_sections"
_assembled = False  # the root schema was read from the store: no more sections


@dataclass(frozen=True)
class StageList:
    """Marks a section's `list[str]` field as a list of the policy's stage keys.

    `default` gives the keys when the policy does not set the field (from its roles, its
    order); `never` names roles whose stage the list may not hold, with the reason.
    """

    default: Callable[["Policy"], list[str]]
    never: tuple[tuple[StageRole, str], ...] = ()


def with_roles(*roles: StageRole) -> Callable[["Policy"], list[str]]:
    """A `StageList` default: the stages playing `roles`, in the policy's order."""

    def keys(policy: "Policy") -> list[str]:
        return policy.stages_with_role(*roles)

    return keys


@dataclass(frozen=True)
class Section:
    key: str
    schema: type[Strict]
    optional: bool  # absent from a policy: None, not the schema's defaults


def register(key: str, schema: type[Strict], *, optional: bool = False) -> None:
    """Add an app's section to the policy schema (from its AppConfig.ready()).

    The schema is assembled once, on the first policy validated: a section registered
    after that would silently be unknown, so it is refused."""
    if _assembled:
        raise RuntimeError(f"policy section {key!r} registered after the schema was assembled")
    add(STORE, key, Section(key, schema, optional))


def assemble() -> dict[str, Section]:
    """The registered sections by key, for the root schema; later registrations fail."""
    global _assembled
    _assembled = True
    return dict(entries(STORE))
