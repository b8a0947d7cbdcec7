from django.urls import path
from django.views.generic import TemplateView

app_name = "exchange"

urlpatterns = [
    path("import/", TemplateView.as_view(template_name="web/placeholder.html"), name="import"),
]
