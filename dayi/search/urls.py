from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym_edit, name="synonym_edit"),
    # The JSON API moved under /api/v1/ with the others; old links keep working.
    path("api/", RedirectView.as_view(pattern_name="search-api", query_string=True, permanent=True), name="api"),
    path(
        "api/suggestions/",
        RedirectView.as_view(pattern_name="search-suggestions-api", query_string=True, permanent=True),
        name="api_suggestions",
    ),
]
