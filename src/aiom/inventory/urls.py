from django.urls import path

from aiom.inventory import views, views_jobs

app_name = "inventory"
urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/confirm/", views.confirm, name="confirm"),
    path("import/jobs/", views_jobs.job_list, name="jobs"),
    path("import/jobs/<int:pk>/", views_jobs.job_detail, name="job"),
]
