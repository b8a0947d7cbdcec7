"""One router and one OpenAPI schema for every app's JSON endpoints (each app's api.py)."""

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

urlpatterns = [
    path("v1/auth/token/", accounts_api.ObtainTokenView.as_view(), name="api-token"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
