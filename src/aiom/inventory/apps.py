from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "aiom.inventory"
    label = "inventory"
    verbose_name = "Inventory: import and export of AI use-case inventories"
