from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "dayi.funding"
    label = "funding"
    verbose_name = _("Vouchers, subsidies and rewards")

    def ready(self):
        checks.register(pdf_font_check)


def pdf_font_check(app_configs, **kwargs):
    """Said at deploy time (`manage.py check --deploy`, start-up), not when a finance officer
    first asks for a PDF statement."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from .pdf import font_path

    try:
        font_path(settings.DAYI_PDF_FONT)
    except ImproperlyConfigured as error:
        return [checks.Warning(str(error), id="funding.W001")]
    return []
