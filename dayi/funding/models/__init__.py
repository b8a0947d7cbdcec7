from .programs import InsurancePolicy, RewardLine, RewardRun, SubsidyApplication, SubsidyItem, UnitGrade
from .rules import Band, Rule, RuleSet
from .vouchers import (
    AnnualUsage,
    LedgerEntry,
    Payment,
    RedemptionBatch,
    VoucherApplication,
    VoucherGrant,
)

__all__ = [
    "AnnualUsage",
    "Band",
    "InsurancePolicy",
    "LedgerEntry",
    "Payment",
    "RedemptionBatch",
    "RewardLine",
    "RewardRun",
    "Rule",
    "RuleSet",
    "SubsidyApplication",
    "SubsidyItem",
    "UnitGrade",
    "VoucherApplication",
    "VoucherGrant",
]
