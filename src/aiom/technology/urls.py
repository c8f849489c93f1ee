from django.urls import path

from aiom.technology import panel, views, views_edit

app_name = "technology"
urlpatterns = [
    path("registry/", views.registry, name="registry"),
    path("registry/<str:kind>/new/", views_edit.record_create, name="create"),
    path("registry/<str:kind>/<int:pk>/edit/", views_edit.record_edit, name="edit"),
    path("registry/models/<int:pk>/", views.model_detail, name="model"),
    path("registry/models/<int:pk>/card/", views.model_card, name="card"),
    path("registry/models/<int:pk>/card.md", views.model_card_markdown, name="card_md"),
    path("registry/models/<int:pk>/card.json", views.model_card_json, name="card_json"),
    path("registry/platforms/<int:pk>/", views.platform_detail, name="platform"),
    path("registry/vendors/<int:pk>/", views.vendor_detail, name="vendor"),
    path("use-cases/<int:pk>/technology/", panel.use_case_technology, name="use_case"),
    path(
        "use-cases/<int:pk>/technology/<str:kind>/<int:target>/unlink/",
        panel.use_case_unlink,
        name="unlink",
    ),
]
