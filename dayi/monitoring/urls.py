from django.urls import path
from django.views.generic import TemplateView

app_name = "monitoring"

urlpatterns = [
    path("", TemplateView.as_view(template_name="web/placeholder.html"), name="home"),
]
