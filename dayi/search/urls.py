from django.urls import path

from . import api, views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym_edit, name="synonym_edit"),
    path("api/", api.SearchAPIView.as_view(), name="api"),
    path("api/suggestions/", api.SuggestAPIView.as_view(), name="api_suggestions"),
]
