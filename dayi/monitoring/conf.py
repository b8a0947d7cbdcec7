"""Monitoring settings. Each can be set in the Django settings (from the environment); the
defaults here are the ones the deployed practice of DOMAIN.md §6 suggests."""

from django.conf import settings


def _get(name, default):
    return getattr(settings, name, default)


def max_current_ma() -> float:
    """Above this a current is a measuring fault, not a reading (100 A)."""
    return _get("DAYI_MONITORING_MAX_CURRENT_MA", 100_000.0)


def max_power_w() -> float:
    return _get("DAYI_MONITORING_MAX_POWER_W", 100_000.0)


def max_future_seconds() -> int:
    """A sensor clock may run a little ahead; more than this and the timestamp is wrong."""
    return _get("DAYI_MONITORING_MAX_FUTURE_SECONDS", 300)


def max_age_days() -> int:
    """Older readings are refused: a sensor that replays its memory after years is broken.
    Never more than the raw retention, so that no reading lands where retention already cleared."""
    return min(_get("DAYI_MONITORING_MAX_AGE_DAYS", 400), raw_retention_days())


def raw_retention_days() -> int:
    """Raw readings older than this are removed (whole months on PostgreSQL); sessions and
    hours derived from them are kept forever."""
    return _get("DAYI_MONITORING_RAW_RETENTION_DAYS", 400)


def partitions_ahead() -> int:
    """Monthly reading partitions created ahead of time by the maintenance job (PostgreSQL)."""
    return _get("DAYI_MONITORING_PARTITIONS_AHEAD", 2)


def reported_hours_tolerance() -> float:
    """A unit's reported yearly hours are flagged when they differ from the measured ones by
    more than this share of the measured figure."""
    return _get("DAYI_MONITORING_REPORTED_TOLERANCE", 0.2)


def hysteresis() -> float:
    """Once on, a level stays on until the value falls this share below its threshold."""
    return _get("DAYI_MONITORING_HYSTERESIS", 0.1)


def min_session_seconds() -> int:
    """Runs shorter than this are noise; drops shorter than this do not end a run."""
    return _get("DAYI_MONITORING_MIN_SESSION_SECONDS", 180)


def offline_after_intervals() -> int:
    """Silence longer than this many sampling intervals is "offline", not "off"."""
    return _get("DAYI_MONITORING_OFFLINE_AFTER_INTERVALS", 3)


def max_payload_bytes() -> int:
    """Rejected payloads are kept up to this size, so that a flood cannot fill the database."""
    return _get("DAYI_MONITORING_MAX_PAYLOAD_BYTES", 65_536)


def mqtt_host() -> str:
    return _get("DAYI_MQTT_HOST", "127.0.0.1")


def mqtt_port() -> int:
    return _get("DAYI_MQTT_PORT", 1883)


def mqtt_topic_root() -> str:
    return _get("DAYI_MQTT_TOPIC_ROOT", "dayi")


def offline_notice_minutes() -> int:
    """A sensor silent this long is listed as offline and its unit told (once per silence)."""
    return _get("DAYI_MONITORING_OFFLINE_NOTICE_MINUTES", 120)


def coverage_target() -> float:
    """Share of networked instruments with a working sensor the city aims at [003 §4]."""
    return _get("DAYI_MONITORING_COVERAGE_TARGET", 0.9)
