from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dayi.web.urls")),
    path("accounts/", include("dayi.accounts.urls")),
    path("instruments/", include("dayi.catalog.urls")),
    path("entry/", include("dayi.lifecycle.urls")),
    path("exchange/", include("dayi.exchange.urls")),
    path("search/", include("dayi.search.urls")),
    path("booking/", include("dayi.booking.urls")),
    path("monitoring/", include("dayi.monitoring.urls")),
    path("feedback/", include("dayi.feedback.urls")),
    path("funding/", include("dayi.funding.urls")),
    path("audit/", include("dayi.audit.urls")),
    path("api/", include("dayi.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
