"""Text messages. A deployment names its gateway's class in settings.DAYI_SMS_SENDER; the
default writes each message to the log, so nothing is sent by accident."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("dayi.sms")


class SmsSender(Protocol):
    def send(self, phone: str, message: str) -> None: ...


class LoggingSmsSender:
    def send(self, phone: str, message: str) -> None:
        logger.info("SMS to %s: %s", phone, message)


def sms_sender() -> SmsSender:
    return import_string(settings.DAYI_SMS_SENDER)()
