from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "dayi.exchange"
    label = "exchange"
