from django.urls import path
from django.views.generic import TemplateView

app_name = "catalog"

placeholder = TemplateView.as_view(template_name="web/placeholder.html")

urlpatterns = [
    path("", placeholder, name="list"),
    path("pilot-scale/", placeholder, name="pilot_list"),
    path("units/", placeholder, name="unit_list"),
    path("themes/", placeholder, name="theme_list"),
]
