from .idle import IdleCase, IdleRuleSettings, OfflineNotice
from .registry import Gateway, Sensor, SensorBinding
from .telemetry import Reading, RejectedMessage, SensorState
from .usage import DailyUsage, HoursCorrection, UsageSession

__all__ = [
    "DailyUsage",
    "Gateway",
    "HoursCorrection",
    "IdleCase",
    "IdleRuleSettings",
    "OfflineNotice",
    "Reading",
    "RejectedMessage",
    "Sensor",
    "SensorBinding",
    "SensorState",
    "UsageSession",
]
