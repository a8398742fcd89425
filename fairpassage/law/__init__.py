"""Fair Passage law engine: the law as dated, cited data and its evaluation (pure Python)."""

from fairpassage.law.api import check_fees
from fairpassage.law.earnings import plan_earnings
from fairpassage.law.engagement import Engagement, InputError, parse_engagement
from fairpassage.law.fx_reference import (
    fill_earnings_reference_rates,
    fill_reference_rates,
    sensitive_findings,
)
from fairpassage.law.params import default_store, rules_version
from fairpassage.law.pathways import pathways_on
from fairpassage.law.taxonomy import CATEGORIES, classify

__all__ = [
    "CATEGORIES",
    "Engagement",
    "InputError",
    "check_fees",
    "classify",
    "default_store",
    "fill_earnings_reference_rates",
    "fill_reference_rates",
    "parse_engagement",
    "pathways_on",
    "plan_earnings",
    "rules_version",
    "sensitive_findings",
]
