from django.urls import path

from aiom.change import views, views_list

app_name = "change"
urlpatterns = [
    path("change/", views_list.plan_list, name="list"),
    path("change/use-cases/<int:pk>/", views.panel, name="panel"),
    path("change/use-cases/<int:pk>/plan/", views.save_plan, name="save_plan"),
    path("change/use-cases/<int:pk>/groups/", views.add_group, name="add_group"),
    path("change/groups/<int:group_id>/", views.edit_group, name="edit_group"),
    path("change/groups/<int:group_id>/remove/", views.remove_group, name="remove_group"),
    path(
        "change/groups/<int:group_id>/interventions/",
        views.add_intervention,
        name="add_intervention",
    ),
    path(
        "change/interventions/<int:pk>/status/",
        views.intervention_status,
        name="intervention_status",
    ),
    path(
        "change/interventions/<int:pk>/remove/",
        views.remove_intervention,
        name="remove_intervention",
    ),
]
