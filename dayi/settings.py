"""Settings, all read from environment variables (see docs/operations.md).

The defaults are the embedded platform: SQLite under var/, jobs run in process, mail to the
console. Production sets DATABASE_URL (PostgreSQL), SECRET_KEY, DEBUG=false, ALLOWED_HOSTS
and REDIS_URL.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("DAYI_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dayi-embedded-default-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "dayi.web.admin_site.DayiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_countries",
    "axes",
    "dayi.web",
    "dayi.audit",
    "dayi.accounts",
    "dayi.catalog",
    "dayi.lifecycle",
    "dayi.exchange",
    "dayi.search",
    "dayi.workcalendar",
    "dayi.booking",
    "dayi.monitoring",
    "dayi.feedback",
    "dayi.funding",
    "dayi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Without DEBUG, static files are served from STATIC_ROOT (collectstatic) with hashed names.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "dayi.urls"
WSGI_APPLICATION = "dayi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dayi.web.context_processors.navigation",
            ],
        },
    },
]

# Database ------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dayi.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Plain BEGIN is deferred in SQLite: two writers that read first can both pass a check.
    # IMMEDIATE serializes writers; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "DAYI_SQLITE_TEST_NAME", default=str(VAR_DIR / "test.sqlite3")
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when configured so that every web process shares throttling state.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Auth ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dayi.accounts.backends.UsernamePhoneEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "dayi.accounts.backends.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = env.str("AXES_HANDLER", default="axes.handlers.database.AxesDatabaseHandler")

# Mail: console by default; production sets EMAIL_URL (smtp://user:pass@host:587/?tls=True).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="大仪平台 <noreply@dayi.local>")

# Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "dayi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package-lock.json) and are served by the project itself:
# the platform must work on a closed government network, so no CDN at run time.
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/fullcalendar", NODE_MODULES / "fullcalendar"),
    ("vendor/fullcalendar-locales", NODE_MODULES / "@fullcalendar" / "core" / "locales"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Background jobs ----------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs for `celery -A dayi beat` (one beat per installation).
CELERY_BEAT_SCHEDULE = {
    "monitoring-idle-rules": {
        "task": "dayi.monitoring.tasks.apply_idle_rules",
        "schedule": crontab(hour=2, minute=0),
    },
    "monitoring-offline-sensors": {
        "task": "dayi.monitoring.tasks.notify_offline_sensors",
        "schedule": crontab(minute="*/15"),
    },
    "monitoring-readings-upkeep": {
        "task": "dayi.monitoring.tasks.maintain_readings",
        "schedule": crontab(hour=1, minute=30),
    },
    "feedback-escalate-overdue-complaints": {
        "task": "dayi.feedback.tasks.escalate_overdue_complaints",
        "schedule": crontab(hour=0, minute=30),
    },
    "funding-expire-voucher-grants": {
        "task": "dayi.funding.tasks.expire_voucher_grants",
        "schedule": crontab(hour=0, minute=10),
    },
}

# API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a bad token is answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dayi 大仪 API",
    "DESCRIPTION": _("Open API of the large research instrument sharing platform."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package, not a CDN (closed networks).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Domain settings ----------------------------------------------------------------------------
# Working days a fiscal-funded instrument has to join the network after acceptance [002 §一, 003 §2].
DAYI_ENTRY_DEADLINE_WORKING_DAYS = env.int("DAYI_ENTRY_DEADLINE_WORKING_DAYS", default=30)
DAYI_IMPORT_MAX_ROWS = env.int("DAYI_IMPORT_MAX_ROWS", default=50_000)
DAYI_PHOTO_MAX_BYTES = env.int("DAYI_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
# Test reports and invoices: kept outside MEDIA_ROOT (no public URL), served by a checked view.
DAYI_PRIVATE_ROOT = env.str("DAYI_PRIVATE_ROOT", default=str(VAR_DIR / "private"))
DAYI_DOCUMENT_MAX_BYTES = env.int("DAYI_DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# The TrueType CJK font embedded in PDF statements; empty: the first of the known Debian paths
# that exists (fonts-wqy-microhei, installed by scripts/setup).
DAYI_PDF_FONT = env.str("DAYI_PDF_FONT", default="")
# The class that sends text messages (dotted path); the default writes them to the log.
DAYI_SMS_SENDER = env.str("DAYI_SMS_SENDER", default="dayi.booking.sms.LoggingSmsSender")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # fontTools, under fpdf2, reports every glyph of every PDF statement at INFO.
    "loggers": {"django.db.backends": {"level": "INFO"}, "fontTools": {"level": "WARNING"}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
