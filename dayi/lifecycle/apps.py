from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "dayi.lifecycle"
    label = "lifecycle"
