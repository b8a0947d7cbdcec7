from django.urls import path

from . import api, views

app_name = "monitoring"

urlpatterns = [
    path("", views.live, name="home"),
    path("status/", views.live_table, name="live_table"),
    path("instruments/<int:pk>/", views.instrument_day, name="instrument_day"),
    path("api/readings/", api.ReadingBatchView.as_view(), name="api_readings"),
]
