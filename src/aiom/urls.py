from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from aiom.api import api
from aiom.core.login import LoginView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard:home", permanent=False), name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("oidc/", include("aiom.core.urls_oidc")),
    path("api/v1/", api.urls),
    path("use-cases/", include("aiom.portfolio.urls")),
    path("", include("aiom.organisation.urls")),
    path("", include("aiom.core.urls")),
    path("", include(("aiom.governance.assessments.urls", "assessment"))),
    path("", include(("aiom.governance.policy.urls", "policy"))),
    path("", include("aiom.lifecycle.urls")),
    path("", include("aiom.governance.reviews.urls")),
    path("", include("aiom.insights.analytics.urls")),
    path("", include("aiom.value.urls")),
    path("", include("aiom.insights.maturity.urls")),
    path("", include("aiom.catalogue.urls")),
    path("", include("aiom.inventory.urls")),
    path("", include("aiom.similarity.urls")),
    path("", include("aiom.literacy.urls")),
    path("", include("aiom.change.urls")),
    path("", include("aiom.obligations.urls")),
    path("", include("aiom.technology.urls")),
    path("", include("aiom.monitoring.urls")),
    path("", include("aiom.transparency.urls")),
    path("", include("aiom.insights.dashboard.urls")),
]
