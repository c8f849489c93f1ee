"""Portfolio analytics: the figures behind diagnostics, maturity and the dashboard.

Every function reads through `Scope.use_cases(user)` (visible_to when a user is given) and
aggregates in the database; see docs/analytics-contract.md for the names and shapes.
"""

from aiom.value.analytics.base import Scope, Share, UseCaseRef
from aiom.value.analytics.coverage import Coverage, coverage
from aiom.value.analytics.diagnostics import QUESTIONS, Diagnostic, diagnostics
from aiom.value.analytics.dwell import Dwell, StageDwell, dwell
from aiom.value.analytics.embedding import Embedding, embedding
from aiom.value.analytics.funnel import Funnel, funnel
from aiom.value.analytics.governance import GovernanceTiming, governance_timing
from aiom.value.analytics.pilots import Cohort, PilotOutcomes, pilot_outcomes
from aiom.value.analytics.time_to_value import TimeToValue, time_to_value
from aiom.value.analytics.vendors import Vendors, vendor_dependence

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
