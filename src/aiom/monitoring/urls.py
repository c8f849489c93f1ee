from django.urls import path

from aiom.monitoring import panel, views

app_name = "monitoring"
urlpatterns = [
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/status/", views.incident_status, name="incident_status"),
    path(
        "incidents/<int:pk>/confirm-severity/",
        views.incident_confirm_severity,
        name="incident_confirm_severity",
    ),
    path("incidents/<int:pk>/actions/", views.incident_add_action, name="incident_add_action"),
    path(
        "incidents/<int:pk>/actions/<int:action_id>/done/",
        views.incident_action_done,
        name="incident_action_done",
    ),
    path("use-cases/<int:pk>/monitoring/plan/", panel.save_plan, name="save_plan"),
    path("use-cases/<int:pk>/monitoring/checks/", panel.add_check, name="add_check"),
    path("use-cases/<int:pk>/monitoring/reviews/", panel.record_review, name="record_review"),
]
