from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dayi.web"
    label = "web"
