from django.urls import path

from aiom.value import views, views_portfolio

app_name = "value"
urlpatterns = [
    path("use-cases/<int:pk>/kpis/", views.add_kpi, name="add_kpi"),
    path("use-cases/<int:pk>/measurements/", views.record_measurement, name="record"),
    path("use-cases/<int:pk>/measurements/import/", views.import_csv, name="import"),
    path("use-cases/<int:pk>/adoption/", views.record_adoption, name="adoption"),
    path("use-cases/<int:pk>/feedback/", views.give_feedback, name="feedback"),
    path("use-cases/<int:pk>/priority/", views.score, name="score"),
    path("backlog/", views_portfolio.backlog_page, name="backlog"),
    path("themes/", views_portfolio.themes_page, name="themes"),
    path("themes/<int:pk>/edit/", views_portfolio.theme_edit, name="theme_edit"),
]
