from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "dayi.catalog"
    label = "catalog"
