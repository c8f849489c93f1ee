from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "aiom.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue: data products, stewards, quality and lineage"

    def ready(self) -> None:
        # Registers the `data_ready` gate check, so a policy may name it; the data panel.
        from aiom.catalogue import checks  # noqa: F401
        from aiom.catalogue.views import register_panel

        register_panel()
