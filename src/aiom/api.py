"""The one JSON API, /api/v1/: one router per domain app."""

from ninja import NinjaAPI

from aiom.catalogue.api import router as catalogue_router
from aiom.change.api import router as change_router
from aiom.core.api import router as audit_router
from aiom.core.api_support import AUTH, install_error_handlers
from aiom.governance.assessments.api import router as assessment_router
from aiom.governance.policy.api import router as policy_router
from aiom.governance.reviews.api import router as reviews_router
from aiom.insights.analytics.api import router as analytics_router
from aiom.insights.maturity.api import router as maturity_router
from aiom.lifecycle.api import router as lifecycle_router
from aiom.literacy.api import router as literacy_router
from aiom.monitoring.api import router as monitoring_router
from aiom.obligations.api import router as obligations_router
from aiom.organisation.api import org_units, people
from aiom.portfolio.api import themes, use_cases
from aiom.similarity.api import router as similarity_router
from aiom.technology.api import router as technology_router
from aiom.transparency.api import router as transparency_router
from aiom.value.api import router as value_router

api = NinjaAPI(
    title="aiom API",
    version="1",
    description=(
        "The AI operating model as data: use cases, org units, people, themes and the "
        "audit trail. Authenticate with a session (the web UI) or "
        "`Authorization: Bearer <token>` (`aiom token create USERNAME`)."
    ),
    auth=AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/use-cases", use_cases)
api.add_router("/org-units", org_units)
api.add_router("/people", people)
api.add_router("/themes", themes)
api.add_router("/audit-events", audit_router)
# These routers spell out their full paths (/use-cases/{id}/..., /reviews, /policy).
api.add_router("", assessment_router)
api.add_router("", lifecycle_router)
api.add_router("", reviews_router)
api.add_router("", analytics_router)
api.add_router("", value_router)
api.add_router("", maturity_router)
api.add_router("", catalogue_router)
api.add_router("", similarity_router)
api.add_router("", literacy_router)
api.add_router("", change_router)
api.add_router("", obligations_router)
api.add_router("", technology_router)
api.add_router("", monitoring_router)
api.add_router("", transparency_router)
api.add_router("", policy_router)
