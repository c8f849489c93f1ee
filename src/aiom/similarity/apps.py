from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "aiom.similarity"
    label = "similarity"
    verbose_name = "Silo detection: similar use cases across org units"
