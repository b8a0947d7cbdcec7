from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.job_detail, name="job"),
    path("import/<int:pk>/status/", views.job_status, name="job_status"),
    path("template.<str:fmt>", views.template_download, name="template"),
    path("export/", views.export, name="export"),
]
