"""Portfolio analytics: the figures behind diagnostics, maturity and the dashboard.

Every function reads through `Scope.use_cases(user)` (visible_to when a user is given) and
aggregates in the database; see docs/analytics-contract.md for the names and shapes.
"""

from aiom.insights.analytics.base import Scope, Share, UseCaseRef
from aiom.insights.analytics.coverage import Coverage, coverage
from aiom.insights.analytics.diagnostics import QUESTIONS, Diagnostic, diagnostics
from aiom.insights.analytics.dwell import Dwell, StageDwell, dwell
from aiom.insights.analytics.embedding import Embedding, embedding
from aiom.insights.analytics.funnel import Funnel, funnel
from aiom.insights.analytics.governance import GovernanceTiming, governance_timing
from aiom.insights.analytics.pilots import Cohort, PilotOutcomes, pilot_outcomes
from aiom.insights.analytics.time_to_value import TimeToValue, time_to_value
from aiom.insights.analytics.vendors import Vendors, vendor_dependence

__all__ = [
    "QUESTIONS",
    "Cohort",
    "Coverage",
    "Diagnostic",
    "Dwell",
    "Embedding",
    "Funnel",
    "GovernanceTiming",
    "PilotOutcomes",
    "Scope",
    "Share",
    "StageDwell",
    "TimeToValue",
    "UseCaseRef",
    "Vendors",
    "coverage",
    "diagnostics",
    "dwell",
    "embedding",
    "funnel",
    "governance_timing",
    "pilot_outcomes",
    "time_to_value",
    "vendor_dependence",
]
