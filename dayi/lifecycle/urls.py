from django.urls import path
from django.views.generic import TemplateView

app_name = "lifecycle"

placeholder = TemplateView.as_view(template_name="web/placeholder.html")

urlpatterns = [
    path("mine/", placeholder, name="my_instruments"),
    path("review/", placeholder, name="review_queue"),
]
