"""One router and one OpenAPI schema for every app's JSON endpoints.

Each app that offers endpoints under /api/v1/ has an api.py with `register(router)` for its
viewsets and, optionally, `urlpatterns_v1` for plain views; this module only collects them so
that apps never edit one another's files."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from dayi.accounts import api as accounts_api
from dayi.catalog import api as catalog_api

router = DefaultRouter()
router.register("instruments", catalog_api.InstrumentViewSet, basename="instrument")
router.register("units", catalog_api.UnitViewSet, basename="unit")
router.register("classes", catalog_api.InstrumentClassViewSet, basename="instrument-class")
router.register("categories", catalog_api.CategoryViewSet, basename="category")
router.register("regions", accounts_api.RegionViewSet, basename="region")

app_paths = []
for config in apps.get_app_configs():
    if not config.name.startswith("dayi.") or config.name in ("dayi.accounts", "dayi.catalog"):
        continue
    try:
        module = import_module(f"{config.name}.api")
    except ModuleNotFoundError as error:
        if error.name != f"{config.name}.api":
            raise
        continue
    if hasattr(module, "register"):
        module.register(router)
    app_paths += getattr(module, "urlpatterns_v1", [])

urlpatterns = [
    path("v1/auth/token/", accounts_api.ObtainTokenView.as_view(), name="api-token"),
    path("v1/", include(app_paths)),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
