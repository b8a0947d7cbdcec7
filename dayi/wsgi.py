import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayi.settings")
application = get_wsgi_application()

from dayi.core.process import prepare_web_process  # noqa: E402 - needs the apps loaded above

prepare_web_process()
