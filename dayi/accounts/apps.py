from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dayi.accounts"
    label = "accounts"
