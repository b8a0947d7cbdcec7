from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("pilot-scale/", views.instrument_list, {"pilot_only": True}, name="pilot_list"),
    path("<int:pk>/", views.instrument_detail, name="detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme_detail"),
]
