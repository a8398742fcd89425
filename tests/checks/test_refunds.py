"""One computation of what to ask back: the result page's lines and the letter's rows carry the
same amounts in the same order, for every check (issue 15, items 4 and 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fairpassage import law
from fairpassage.channels.dialogue import fees
from fairpassage.checks.letter import refund_table
from fairpassage.checks.presenters import present
from fairpassage.checks.refunds import refunds, shares
from fairpassage.checks.templatetags.checks_tags import vnd
from fairpassage.law.params import ParameterStore
from tests.law.test_properties import engagements


def _page(report: dict[str, Any]) -> list[tuple[int, int]]:
    """(payment, amount to ask back) for each line of the result page that asks something."""
    return [(ln.index, ln.reclaim_vnd) for ln in present(report).lines if ln.reclaim_vnd > 0]


def _letter(report: dict[str, Any]) -> list[tuple[int, int]]:
    return [(r.index, r.refund_vnd) for r in refund_table(report).rows]


def _same(report: dict[str, Any]) -> list[tuple[int, int]]:
    page, letter = _page(report), _letter(report)
    assert page == letter
    assert present(report).reclaim_vnd == refund_table(report).total_vnd == sum(a for _i, a in page)
    return page


def _instalments(example: dict[str, Any], *amounts: int) -> dict[str, Any]:
    first = example["payments"][0]
    example["payments"] = [
        {**first, "label": f"đợt {n}", "amount": a, "paid_on": f"2025-0{n + 5}-10"}
        for n, a in enumerate(amounts, start=1)
    ]
    return example


def test_the_example_reads_the_same_on_the_page_and_in_the_letter(
    example: dict[str, Any],
) -> None:
    assert _same(law.check_fees(example, "vi")) == [(0, 28_200_000), (1, 30_000_000)]


def test_instalments_under_one_ceiling_read_the_same(example: dict[str, Any]) -> None:
    # 100,000,000 then 20,000,000 of service fee, 28,200,000 above the cap: the letter used to
    # take the later instalment whole (8,200,000 + 20,000,000) while the page shared it out.
    report = law.check_fees(_instalments(example, 100_000_000, 20_000_000), "vi")
    assert _same(report) == [(0, 23_500_000), (1, 4_700_000)]


def test_shares_that_do_not_divide_evenly_still_add_up(example: dict[str, Any]) -> None:
    report = law.check_fees(_instalments(example, 30_000_000, 30_000_000, 40_000_001), "vi")
    (cap,) = [f for f in report["findings"] if f["rule"] == "VN-SERVICE-FEE-CAP"]
    amounts = [30_000_000, 30_000_000, 40_000_001]
    exact = [cap["excess_vnd"] * a / sum(amounts) for a in amounts]
    assert any(e != int(e) for e in exact)  # the split leaves fractions of a dong
    rows = _same(report)
    assert sum(a for _i, a in rows) == cap["excess_vnd"]
    assert all(abs(a - e) < 1 for (_i, a), e in zip(rows, exact, strict=True))


def _two_ceilings(example: dict[str, Any], store: ParameterStore) -> dict[str, Any]:
    """The Vietnamese cap and the ESD cap both cover the service fee, the ESD cap the deposit
    too (the deposit is also banned outright)."""
    data = {**example, "programme": "esd", "stage": "esd"}
    data.pop("departs_on")
    data["payments"] = [
        {**p, "payee": "sending_organisation", "category": c}
        for p, c in zip(example["payments"], ("service_fee", "deposit"), strict=True)
    ]
    return law.check_fees(data, "vi", store=store)


def test_overlapping_ceilings_read_the_same(
    example: dict[str, Any], verified_esd_cap: ParameterStore
) -> None:
    # The deposit comes back whole, the fee by the larger of the two shares.
    report = _two_ceilings(example, verified_esd_cap)
    (esd,) = [f for f in report["findings"] if f["rule"] == "ESD-SENDING-FEE-CAP"]
    rows = _same(report)
    assert rows == [(0, 120_000_000 - esd["limit_vnd"]), (1, 30_000_000)]
    assert sum(a for _i, a in rows) < report["summary"]["excess_vnd"]


def test_the_chat_summary_gives_the_same_total(
    example: dict[str, Any], verified_esd_cap: ParameterStore
) -> None:
    report = _two_ceilings(example, verified_esd_cap)
    with translation.override("vi"):
        lines = fees._summary(report, {})
        shown, engine = vnd(present(report).reclaim_vnd), vnd(report["summary"]["excess_vnd"])
    assert shown in lines[0]
    assert lines[2].endswith(shown)
    assert engine not in "\n".join(lines)


@pytest.mark.parametrize("lang", ["vi", "ja", "en"])
def test_every_language_asks_the_same(example: dict[str, Any], lang: str) -> None:
    assert _same(law.check_fees(example, lang)) == _letter(law.check_fees(example, "vi"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engagements())
def test_page_and_letter_always_agree(data: dict[str, Any]) -> None:
    try:
        report = law.check_fees(data, "vi")
    except law.InputError:
        assume(False)
        return
    _same(report)
    for p in refunds(report).payments:
        assert 0 <= p.refund_vnd <= p.paid_vnd
        assert (p.refund_vnd > 0) == bool(p.findings)


@given(
    st.integers(min_value=0, max_value=10**15),
    st.dictionaries(st.integers(0, 20), st.integers(1, 10**13), min_size=1, max_size=8),
)
def test_largest_remainder_shares_add_up_exactly(total: int, amounts: dict[int, int]) -> None:
    assume(total <= sum(amounts.values()))
    split = shares(total, amounts)
    assert sum(split.values()) == total
    for i, share in split.items():
        exact = total * amounts[i] / sum(amounts.values())
        assert abs(share - exact) < 1 + 1e-6 * exact
        assert share <= amounts[i]


def test_a_remainder_goes_to_the_largest_fraction_then_the_earlier_payment() -> None:
    assert shares(10, {0: 1, 1: 1, 2: 1}) == {0: 4, 1: 3, 2: 3}
    assert shares(10, {0: 1, 1: 2}) == {0: 3, 1: 7}
    assert shares(1_000_000_000_000_001, {0: 1, 1: 1}) == {
        0: 500_000_000_000_001,
        1: 500_000_000_000_000,
    }
