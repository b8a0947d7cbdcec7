from django.urls import path

from . import api, idle_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.live, name="home"),
    path("status/", views.live_table, name="live_table"),
    path("instruments/<int:pk>/", views.instrument_day, name="instrument_day"),
    path("idle/", idle_views.idle_list, name="idle_list"),
    path("idle/<int:pk>/", idle_views.idle_case, name="idle_case"),
    path("api/readings/", api.ReadingBatchView.as_view(), name="api_readings"),
]
