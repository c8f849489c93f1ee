"""Demo data for change (seeded after the other demo seeds)."""

from __future__ import annotations

import datetime as dt
import random


def seed(*, today: dt.date, rng: random.Random) -> None:
    """Nothing yet."""
