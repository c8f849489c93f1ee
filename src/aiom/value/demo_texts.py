"""Words for the value demo: extra KPIs per AI type, feedback comments, score rationales."""

from typing import Any

FALLBACK_KPI = ("Hours saved per week", 0.0, 40.0, "h", "higher")
EXTRA_KPIS: dict[str, list[tuple[str, float, float, str, str]]] = {
    "generative": [
        ("Drafts accepted without major edits", 40.0, 70.0, "%", "higher"),
        ("Cost per case", 14.0, 10.0, "EUR", "lower"),
    ],
    "predictive": [
        ("False alerts per 1,000 cases", 40.0, 25.0, "alerts", "lower"),
        ("Losses avoided per month", 0.0, 150000.0, "EUR", "higher"),
    ],
    "vision": [("Manual keying time per document", 6.0, 2.5, "min", "lower")],
    "nlp": [
        ("Backlog older than 5 days", 900.0, 200.0, "items", "lower"),
        ("Customer satisfaction", 3.6, 4.2, "/5", "higher"),
    ],
    "speech": [("After-call work per call", 3.5, 1.5, "min", "lower")],
    "optimisation": [("Forecast error (MAPE)", 18.0, 11.0, "%", "lower")],
    "rules": [("Decision turnaround", 48.0, 8.0, "h", "lower")],
    "agent": [
        ("Handling time per case", 25.0, 15.0, "min", "lower"),
        ("Escalations to a human", 45.0, 25.0, "%", "lower"),
    ],
    "other": [("Cycle time", 10.0, 6.0, "days", "lower")],
}
RATING_WEIGHTS = (4, 7, 20, 40, 29)
COMMENTS: dict[int, tuple[str, ...]] = {
    1: (
        "Gave a confidently wrong answer to a customer; we had to call them back.",
        "Slower than doing it by hand, and it keeps logging me out.",
        "Nobody told us it was switched on; the suggestions make no sense for our cases.",
    ),
    2: (
        "Often misses the exceptions that matter, so I check everything anyway.",
        "Useful in principle, but the results arrive too late in the day.",
        "Too many false alarms; the team has started ignoring them.",
    ),
    3: (
        "Fine for the simple cases, not yet for the tricky ones.",
        "Saves a little time; the training could have been better.",
        "Works, but I would like to see why it suggests what it suggests.",
    ),
    4: (
        "Saves me about half an hour a day.",
        "Good first drafts; I only adjust the tone.",
        "Much faster than before, and the explanations help with the customer.",
        "Reliable; a couple of edge cases still need a human eye.",
    ),
    5: (
        "I would not want to go back to the old way.",
        "Cut our backlog in weeks. The whole team uses it daily.",
        "Accurate and easy: exactly what we asked for.",
    ),
}


def rationale_for(title: str, criteria: dict[str, Any]) -> str:
    """A plain-words reason that follows from the scores, as a portfolio board would write."""
    parts = []
    if criteria["strategic_fit"] >= 4:
        parts.append("serves a strategic theme directly")
    if criteria["expected_benefit"] >= 4:
        parts.append("the expected benefit is among the larger in the portfolio")
    if criteria["data_readiness"] <= 2:
        parts.append("the data is not ready yet and needs a steward")
    if criteria["technical_complexity"] >= 4:
        parts.append("it is technically demanding to build and run")
    if criteria["change_effort"] >= 4:
        parts.append("it changes how people work, so it needs a change plan")
    if not parts:
        parts.append("a modest, well-understood improvement")
    return f"{title}: " + "; ".join(parts) + "."
