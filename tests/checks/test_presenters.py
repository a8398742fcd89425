"""The fee-check result as the worker reads it (issue 15, item 4): one line per payment with all
its reasons, a total that counts each payment once, no rule id, hash, English citation or ISO
date outside the advisers' details, and dates and money in the page's language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from fairpassage.checks import services
from fairpassage.checks.instruments import basis_words, instrument_name, provision_words
from fairpassage.checks.presenters import present
from fairpassage.law import check_fees
from fairpassage.law.params import ParameterStore
from fairpassage.web.templatetags import money
from tests.checks.test_views import FORM
from tests.e2e.guard import HASH, ISO_DATE, RULE_ID

DETAILS = re.compile(r'<details class="advisers".*?</details>', re.S)
TAGS = re.compile(r"<[^>]+>")
ENGLISH_CITATIONS = ("Law 69/2020", "Act on Proper", "Decree 112", "Circular 02", "Art. ", "Annex ")


def _run(data: dict[str, Any], language: str = "vi") -> dict[str, Any]:
    return services.fee_check_run(data=data, language=language)


def _visible_main_text(html: str) -> str:
    """The result's text outside the folded advisers' details."""
    return TAGS.sub(" ", DETAILS.sub("", html))


def test_a_deposit_broken_by_three_rules_is_one_line_with_all_its_reasons(
    example: dict[str, Any],
) -> None:
    report = _run(example)
    deposit_findings = [
        f["rule"]
        for f in report["findings"]
        if 1 in f["payments"] and f["status"] in ("violation", "advisory")
    ]
    assert len(deposit_findings) == 3  # the engine reports the deposit under three rules

    result = present(report)
    assert [line.label for line in result.lines] == ["Phí dịch vụ", "tien coc"]
    deposit = result.lines[1]
    assert sorted(r.rule for r in deposit.reasons) == sorted(deposit_findings)
    assert deposit.status == "violation"
    assert (deposit.reclaim_vnd, deposit.allowed_vnd) == (30_000_000, 0)
    # The legal rules first, then the ILO standard, which advises and sets no limit.
    assert [r.binding for r in deposit.reasons] == [True, True, False]
    # The shared "what to do" text is shown once, not under every reason.
    assert all(h not in r.text for r in deposit.reasons for h in result.helps)
    assert len(result.helps) == len(set(result.helps)) >= 1
    # Each payment counted once: the service fee's excess and the whole deposit.
    assert result.reclaim_vnd == 28_200_000 + 30_000_000 == report["summary"]["excess_vnd"]
    assert result.total_paid_vnd == 150_000_000


def test_the_total_counts_each_payment_once_where_the_engine_counts_twice(
    example: dict[str, Any], verified_esd_cap: ParameterStore
) -> None:
    data = {**example, "programme": "esd", "stage": "esd"}
    data.pop("departs_on")
    data["payments"] = [
        {**p, "payee": "sending_organisation", "category": c}
        for p, c in zip(example["payments"], ("service_fee", "deposit"), strict=True)
    ]
    report = check_fees(data, "vi", store=verified_esd_cap)
    caps = {f["rule"]: f for f in report["findings"] if f["status"] == "violation"}
    assert {"VN-SERVICE-FEE-CAP", "ESD-SENDING-FEE-CAP", "VN-WORKER-DEPOSIT-JAPAN"} <= set(caps)
    esd = caps["ESD-SENDING-FEE-CAP"]
    assert esd["payments"] == [0, 1]  # the deposit counts under the ESD cap too

    result = present(report)
    service, deposit = result.lines
    # The deposit comes back whole; what is left of the fees is then over the stricter cap.
    assert deposit.reclaim_vnd == 30_000_000
    assert service.reclaim_vnd == 120_000_000 - esd["limit_vnd"]
    assert result.reclaim_vnd == service.reclaim_vnd + deposit.reclaim_vnd
    assert result.reclaim_vnd <= result.total_paid_vnd
    # The engine adds every ceiling's excess to the whole deposit: more than was overpaid.
    assert report["summary"]["excess_vnd"] > result.reclaim_vnd
    assert result.engine_differs


def test_a_ceiling_shared_by_two_payments_is_split_in_proportion(
    example: dict[str, Any],
) -> None:
    data = {**example, "payments": [example["payments"][0], {**example["payments"][0]}]}
    data["payments"][0] = {**data["payments"][0], "amount": 40_000_000}
    data["payments"][1] = {**data["payments"][1], "amount": 80_000_000, "label": "đợt 2"}
    report = _run(data)
    (cap,) = [f for f in report["findings"] if f["rule"] == "VN-SERVICE-FEE-CAP"]
    assert cap["payments"] == [0, 1] and cap["excess_vnd"] == 28_200_000

    result = present(report)
    first, second = result.lines
    assert first.reclaim_vnd + second.reclaim_vnd == cap["excess_vnd"]
    assert second.reclaim_vnd == 2 * first.reclaim_vnd
    assert first.allowed_vnd == 40_000_000 - first.reclaim_vnd
    assert first.reasons[0].shared_with == (2,) and second.reasons[0].shared_with == (1,)


def test_needs_review_and_advisory_findings_are_not_drawn_as_limits(
    example: dict[str, Any],
) -> None:
    # ESD from 2027: the cap is reported, not verified, so the engine says "needs review"
    # although it gives a figure; the ILO standard only advises.
    data = {**example, "programme": "esd", "stage": "esd", "signed_on": "2027-06-01"}
    data["departs_on"] = "2027-07-01"
    data["payments"] = [{**example["payments"][0], "payee": "sending_organisation"}]
    report = _run(data)
    (esd,) = [f for f in report["findings"] if f["rule"] == "ESD-SENDING-FEE-CAP"]
    assert esd["status"] == "needs_review" and esd["limit_vnd"]

    result = present(report)
    (bar,) = result.bars
    assert bar.allowed_vnd is None and bar.note == "needs_review"
    assert result.reclaim_vnd == 0
    with translation.override("vi"):
        html = render_to_string("checks/_result_chart.html", {"result": result})
    assert 'class="allowed"' not in html
    assert "Cần xem xét thêm" in html


@pytest.mark.parametrize("language", ["vi", "ja"])
def test_the_main_result_has_no_rule_id_hash_citation_or_iso_date(
    example: dict[str, Any], language: str
) -> None:
    report = _run(example, language)
    with translation.override(language):
        html = render_to_string(
            "checks/_result.html", {"report": report, "result": present(report)}
        )
    main = _visible_main_text(html)
    assert RULE_ID.findall(main) == []
    assert HASH.findall(main) == []
    assert ISO_DATE.findall(main) == []
    assert [c for c in ENGLISH_CITATIONS if c in main] == []
    assert "no other Japan rows" not in main
    # Kept for advisers, folded away at the end.
    assert "VN-SERVICE-FEE-CAP" in html and report["rules_version"] in html
    assert html.rindex('<details class="advisers"') > html.rindex('class="payment-line')
    expected = {
        "vi": ("01/06/2025", "120.000.000 ₫", "10/06/2025", "Điều 23"),
        "ja": ("2025年6月1日", "120,000,000ドン", "2025年6月10日", "第23条"),
    }[language]
    assert all(text in main for text in expected), expected
    # Two payments: two lines and two bars, though the engine gave the deposit three findings.
    assert html.count('<li class="payment-line') == 2 and html.count('<g class="bar-row') == 2


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "ja"])
def test_the_form_folds_under_the_result(client: Client, language: str) -> None:
    fresh = client.get(f"/{language}/fee-check/").content.decode()
    assert 'class="change-answers"' not in fresh
    html = client.post(f"/{language}/fee-check/", FORM).content.decode()
    result, folded = html.index('id="result"'), html.index('<details class="change-answers"')
    form = html.index('id="fee-check-form"')
    assert result < folded < form < html.index("</form>", form) < html.index("</details>", form)


@pytest.mark.parametrize(
    ("language", "dong", "yen"),
    [
        ("vi", "120.000.000 ₫", "180.000 ¥"),
        ("ja", "120,000,000ドン", "180,000円"),
        ("en", "120.000.000 ₫", "¥180,000"),
    ],
)
def test_money_is_written_as_the_page_language_writes_it(
    language: str, dong: str, yen: str
) -> None:
    with translation.override(language):
        assert money.vnd(120_000_000) == dong
        assert money.yen(180_000) == yen
        assert money.vnd(None) == "—"
    assert money.VND[language](120_000_000) == dong
    assert money.YEN[language](180_000) == yen
    assert money.vnd_vi(-1_500) == "-1.500 ₫" and money.yen_en(-1_500) == "-¥1,500"


@pytest.mark.parametrize(
    ("language", "instrument", "provision", "expected"),
    [
        ("vi", "Law 69/2020/QH14", "Art. 23(4)(a)", "điểm a khoản 4 Điều 23 Luật Người lao động"),
        ("ja", "Law 69/2020/QH14", "Art. 23(4)(a)", "（第69/2020/QH14号）第23条第4項a号"),
        ("vi", "Decree 112/2021/NĐ-CP", "Art. 29 and Annex II", "Điều 29 và Phụ lục II Nghị định"),
        ("ja", "Circular 02/2024/TT-BLĐTBXH", "Annex XI (no other Japan rows)", "号付録XI"),
        (
            "ja",
            "Act on Proper Technical Intern Training and Protection of Technical Intern "
            "Trainees (Act No. 89 of 2016)",
            "Art. 47(1) (numbering carried over from the TITP Act - not verified)",
            "技能実習生の保護に関する法律（平成28年法律第89号）第47条第1項",
        ),
    ],
)
def test_legal_texts_are_named_in_the_page_language(
    language: str, instrument: str, provision: str, expected: str
) -> None:
    with translation.override(language):
        words = basis_words({"instrument": instrument, "provision": provision})
    assert expected in words
    assert "(no other" not in words and "numbering" not in words


def test_an_unknown_instrument_or_provision_is_left_out_not_half_translated() -> None:
    with translation.override("vi"):
        assert instrument_name("Cabinet decision of 26 April 2022") == ""
        assert basis_words({"instrument": "Cabinet decision", "provision": "Art. 1"}) == ""
        assert provision_words("Definition - illegitimate costs") == ""
        assert provision_words("Art. 74(c)-(d)") == ""
        assert provision_words("Art. 74(1)(c)-(d)") == "điểm c đến điểm d khoản 1 Điều 74"
        assert provision_words("Items 4-5") == "mục 4 đến mục 5"
        assert instrument_name("Act No. 60 of 2024") == "Luật số 60 năm 2024 của Nhật Bản"
