from django.urls import path

from aiom.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("data-products/", views.product_list, name="list"),
    path("data-products/new/", views.product_create, name="create"),
    path("data-products/<int:pk>/", views.product_detail, name="detail"),
    path("data-products/<int:pk>/edit/", views.product_edit, name="edit"),
    path("data-products/<int:pk>/retire/", views.product_retire, name="retire"),
    path("data-products/<int:pk>/quality/", views.product_quality, name="quality"),
    path("use-cases/<int:pk>/data-products/", views.use_case_data, name="use_case_data"),
    path(
        "use-cases/<int:pk>/data-products/<int:product_id>/unlink/",
        views.use_case_unlink,
        name="unlink",
    ),
]
