from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dayi.audit"
    label = "audit"
