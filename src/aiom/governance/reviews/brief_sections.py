"""The review brief's sections from other apps, each registered by the app that owns it.

A reviewer sees more than governance knows: the obligations still open on the use case
(obligations), its open incidents (monitoring). Each such app registers a section in its
AppConfig.ready() through `register` (the registry's `review_brief_sections` store): a
template and a function giving the section's items for the review. The brief gathers them
in `order` (ties by key), and `governance/review_detail.html` shows them side by side, so
governance shows them without importing the apps that own them.

As shipped, by order: obligations' open obligations (10), monitoring's open incidents (20).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiom.core import registry
from aiom.governance.models import ReviewRequest

SectionItems = Callable[[ReviewRequest], Sequence[Any]]
STORE = "review_brief_sections"


@dataclass(frozen=True)
class Provider:
    key: str
    template: str
    items: SectionItems
    order: int = 100


@dataclass(frozen=True)
class Section:
    """One section of one brief: its template shows `items` (empty: its own empty state)."""

    key: str
    template: str
    items: Sequence[Any]


def register(key: str, template: str, items: SectionItems, *, order: int = 100) -> None:
    """Show `template` on every review page with `items(review)` as the section's `items`;
    a key registered twice is refused."""
    registry.add(STORE, key, Provider(key, template, items, order))


def registered() -> list[Provider]:
    return sorted(registry.entries(STORE).values(), key=lambda p: (p.order, p.key))


def for_review(review: ReviewRequest) -> list[Section]:
    """Every registered section of `review`'s brief, in order."""
    return [Section(p.key, p.template, p.items(review)) for p in registered()]
