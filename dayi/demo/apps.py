from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dayi.demo"
    label = "demo"
