from django.urls import path

from . import api, hours_views, idle_views, sensor_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.live, name="home"),
    path("status/", views.live_table, name="live_table"),
    path("instruments/<int:pk>/", views.instrument_day, name="instrument_day"),
    path("instruments/<int:pk>/hours/", hours_views.instrument_hours, name="instrument_hours"),
    path("overview/", hours_views.overview, name="overview"),
    path("sensors/", sensor_views.sensor_list, name="sensor_list"),
    path("sensors/new/", sensor_views.sensor_register, name="sensor_register"),
    path("sensors/<int:pk>/", sensor_views.sensor_detail, name="sensor_detail"),
    path("idle/", idle_views.idle_list, name="idle_list"),
    path("idle/<int:pk>/", idle_views.idle_case, name="idle_case"),
    # The first home of the batch endpoint, kept for gateways already configured with it; the
    # schema lists it once, under /api/v1/monitoring/readings/.
    path("api/readings/", api.ReadingBatchView.as_view(schema=None), name="api_readings"),
]
