"""Risk assessments: scoring, consistency with the facts, tier confirmation, pages, API."""
