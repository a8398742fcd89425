"""The letter asking for fees back: rows that add up to the total, one row per payment, the law
in words, two addressees, and the worker's identity printed but never kept (issue 15, item 5)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import re
from collections import Counter
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings

from fairpassage import law
from fairpassage.checks.instruments import basis_words, reads_in_full
from fairpassage.checks.letter import (
    Identity,
    LetterRequest,
    date_in_words,
    letter_pdf,
    refund_table,
    vnd_in_words_vi,
)
from fairpassage.checks.models import FeeCheck
from fairpassage.core.models import AuditEvent
from fairpassage.web.templatetags import money
from tests.checks.conftest import pdf_text_and_fonts
from tests.law.test_properties import engagements

TODAY = dt.date(2026, 12, 7)
IDENTITY = Identity(
    name="Nguyễn Thị Hoa",
    id_number="001190012345",
    address="12 Lê Lợi, Thuận Hóa, Huế",
    contract_number="HĐ-117/2025",
    place="Hà Nội",
)
AGENCY = "Công ty Cổ phần Sông Hồng"
RULE_ID = re.compile(r"\b(?:VN|JP|ILO|ESD)-[A-Z0-9-]+")
VI_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+)\s*₫")
JA_AMOUNT = re.compile(r"(\d{1,3}(?:,\d{3})+)ドン")
#: words of the English citations the parameters hold
ENGLISH_CITATION = re.compile(r"\b(?:Law|Decree|Circular|Decision|Act|Art|Arts|Annex|Ordinance)\b")
#: words written for the worker on the result page, not for a letter
ADVICE = ("Bạn đã trả", "Hãy giữ biên lai", "hãy xác nhận", "Chúng tôi đoán")


def _fee_rule_references() -> list[dict[str, Any]]:
    """Every source the fee rules may cite (the earnings parameters are not in a fee letter)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for param in law.default_store().catalogue():
        family = param["id"].split(".")[0]
        if family not in ("vn", "esd") and not param["id"].startswith(("jp.titp", "jp.ssw")):
            continue
        for value in param["values"]:
            ref = value.get("reference")
            if ref:
                out[(ref["instrument"], ref["provision"] or "")] = ref
    return list(out.values())


# --- rows and total ------------------------------------------------------------------------


def test_rows_add_up_to_the_total_and_the_engine_excess(example: dict[str, Any]) -> None:
    report = law.check_fees(example, "vi")
    table = refund_table(report)
    assert [(r.index, r.refund_vnd) for r in table.rows] == [(0, 28_200_000), (1, 30_000_000)]
    assert sum(r.refund_vnd for r in table.rows) == table.total_vnd == 58_200_000
    assert table.total_vnd == report["summary"]["excess_vnd"]


def test_a_payment_breaking_several_rules_is_one_row_with_every_basis(
    example: dict[str, Any],
) -> None:
    # The deposit breaks the Vietnamese ban on deposits for Japan and the Japanese ban on
    # deposits: one row of 30,000,000, not two.
    report = law.check_fees(example, "vi")
    broken = [f["rule"] for f in report["findings"] if f["status"] == "violation"]
    assert (
        Counter(i for f in report["findings"] if f["status"] == "violation" for i in f["payments"])[
            1
        ]
        == 2
    ), broken
    table = refund_table(report)
    deposit = next(r for r in table.rows if r.index == 1)
    assert [r.index for r in table.rows].count(1) == 1
    assert deposit.refund_vnd == deposit.paid_vnd == 30_000_000
    assert len(deposit.findings) == 2


def test_a_ceiling_is_shared_in_proportion_as_on_the_page(example: dict[str, Any]) -> None:
    # Two service-fee instalments together 28,200,000 above the cap: each is asked back its
    # share in proportion to what was paid in it (100 : 20), as the result page shows it.
    example["payments"] = [
        {
            "label": "đợt 1",
            "category": "service_fee",
            "amount": 100_000_000,
            "currency": "VND",
            "paid_on": "2025-06-10",
        },
        {
            "label": "đợt 2",
            "category": "service_fee",
            "amount": 20_000_000,
            "currency": "VND",
            "paid_on": "2025-07-10",
        },
    ]
    table = refund_table(law.check_fees(example, "vi"))
    assert [(r.index, r.refund_vnd) for r in table.rows] == [(0, 23_500_000), (1, 4_700_000)]
    assert table.total_vnd == 28_200_000


def _overlapping_ceilings(report: dict[str, Any]) -> bool:
    """Whether a ceiling covers a payment that another binding violation covers too (another
    ceiling, or a ban that takes the payment back whole): there the engine counts twice."""
    ceilings: Counter[int] = Counter()
    covered: Counter[int] = Counter()
    for f in report["findings"]:
        if f["status"] == "violation" and not str(f["rule"]).startswith("ILO-"):
            covered.update(f["payments"])
            if not f["whole_payments_unlawful"]:
                ceilings.update(f["payments"])
    return any(covered[i] > 1 for i in ceilings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(engagements())
def test_rows_always_add_up_to_the_total(data: dict[str, Any]) -> None:
    try:
        report = law.check_fees(data, "vi")
    except law.InputError:
        assume(False)
        return
    table = refund_table(report)
    amounts = {i["index"]: i["amount_vnd"] for i in report["items"]}
    assert sum(r.refund_vnd for r in table.rows) == table.total_vnd
    assert len({r.index for r in table.rows}) == len(table.rows)  # one row per payment
    for r in table.rows:
        assert 0 < r.refund_vnd <= amounts[r.index]
        assert r.findings
    assert table.total_vnd <= report["summary"]["excess_vnd"]
    if not _overlapping_ceilings(report):
        assert table.total_vnd == report["summary"]["excess_vnd"]


# --- words ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "ja"])
def test_every_fee_rule_source_is_written_in_words(lang: str) -> None:
    references = _fee_rule_references()
    assert len(references) > 20
    with translation.override(lang):
        unread = [
            r
            for r in references
            if not reads_in_full(r) and r["instrument"].startswith(("Law", "Decree", "Circ"))
        ]
        assert unread == []
        for ref in references:
            words = basis_words(ref)
            without_numbers = re.sub(r"\d+/\d{4}/[\wĐđ-]+", "", words)
            assert not ENGLISH_CITATION.search(without_numbers), (ref, words)


def test_citations_in_words() -> None:
    # The names of docs/i18n/glossary.md, as the result page writes them.
    ref = {"instrument": "Law 69/2020/QH14", "provision": "Art. 23(4)(a)"}
    note = {
        "instrument": "Circular 02/2024/TT-BLĐTBXH",
        "provision": "Annex XI (no other Japan rows)",
    }
    points = {"instrument": "Law 69/2020/QH14", "provision": "Art. 74(1)(c)-(d)"}
    with translation.override("vi"):
        assert basis_words(ref) == (
            "điểm a khoản 4 Điều 23 Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo "
            "hợp đồng (số 69/2020/QH14)"
        )
        assert basis_words(note) == "Phụ lục XI Thông tư số 02/2024/TT-BLĐTBXH"
        assert basis_words(points).startswith("điểm c đến điểm d khoản 1 Điều 74 Luật")
    with translation.override("ja"):
        assert basis_words(ref).endswith("（第69/2020/QH14号）第23条第4項a号")
        assert basis_words(note) == "ベトナム通達第02/2024/TT-BLĐTBXH号付録XI"
        assert basis_words(points).endswith("第74条第1項c号からd号まで")


def test_dates_and_money_follow_the_letter_language() -> None:
    assert date_in_words(TODAY, "vi", "Hà Nội") == "Hà Nội, ngày 07 tháng 12 năm 2026"
    assert date_in_words(dt.date(2026, 2, 3), "vi", "Huế") == "Huế, ngày 03 tháng 02 năm 2026"
    assert date_in_words(TODAY, "ja") == "2026年12月7日"
    assert date_in_words(TODAY, "en", "Hanoi") == "Hanoi, 7 December 2026"
    assert money.VND["vi"](120_000_000) == "120.000.000 ₫"
    assert vnd_in_words_vi(58_200_000) == "Năm mươi tám triệu hai trăm nghìn đồng"
    assert (
        vnd_in_words_vi(1_005_021)
        == "Một triệu không trăm linh năm nghìn không trăm hai mươi mốt đồng"
    )
    assert vnd_in_words_vi(2_000_015_000) == "Hai tỷ không trăm mười lăm nghìn đồng"
    assert money.VND["ja"](120_000_000) == "120,000,000ドン"


# --- the PDF -------------------------------------------------------------------------------


def _copies(text: str) -> tuple[str, str]:
    """The Vietnamese letter and the Japanese copy of one PDF's text."""
    vi, _sep, ja = text.partition("参考訳です。")
    assert ja, text
    return vi, ja


def _amounts(pattern: re.Pattern[str], text: str) -> list[int]:
    return [int(re.sub(r"[.,]", "", a)) for a in pattern.findall(text)]


@pytest.mark.parametrize("recipient", ["sending_organisation", "authority"])
def test_pdf_rows_add_up_names_the_agency_and_the_worker(
    example: dict[str, Any], recipient: str
) -> None:
    pdf = letter_pdf(
        engagement=example,
        request=LetterRequest(
            recipient=recipient, agency_name=AGENCY, identity=IDENTITY, copies=("ja",)
        ),
        today=TODAY,
    )
    text, fonts = pdf_text_and_fonts(pdf)
    assert fonts and all("Fair-Passage-Sans" in name for name in fonts)
    flat = re.sub(r"\s+", " ", text)
    vi, ja = _copies(text)
    for copy_text, pattern in ((vi, VI_AMOUNT), (ja, JA_AMOUNT)):
        *rows, total = _amounts(pattern, copy_text)
        assert rows and sum(rows) == total == 58_200_000, copy_text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in vi
    assert "Độc lập - Tự do - Hạnh phúc" in vi
    assert "Hà Nội, ngày 07 tháng 12 năm 2026" in re.sub(r"\s+", " ", vi)
    assert "Kính gửi:" in vi
    assert "Bằng chữ: Năm mươi tám triệu hai trăm nghìn đồng" in re.sub(r"\s+", " ", vi)
    for mark in ("御中", "件名", "記", "以上", "2026年12月7日"):
        assert mark in ja
    assert flat.count(AGENCY) >= 4  # named in both copies, in both versions
    for value in (IDENTITY.name, IDENTITY.id_number, IDENTITY.contract_number):
        assert value in flat
    assert IDENTITY.address in flat
    assert not RULE_ID.search(text)
    assert "sha256" not in text
    assert not ENGLISH_CITATION.search(re.sub(r"\d+/\d{4}/[\wĐđ-]+", "", text))
    assert not [a for a in ADVICE if a in text]
    if recipient == "authority":
        assert "Cục Quản lý lao động ngoài nước" in vi
        assert f"yêu cầu {AGENCY} hoàn trả" in re.sub(r"\s+", " ", vi)
        assert "海外労働管理局 御中" in ja


def test_pdf_english_copy_and_blank_lines_to_fill_by_hand(example: dict[str, Any]) -> None:
    pdf = letter_pdf(engagement=example, request=LetterRequest(copies=("en",)), today=TODAY)
    text, _fonts = pdf_text_and_fonts(pdf)
    assert "Translation for information; the Vietnamese letter prevails." in text
    assert "Yours faithfully," in text
    assert "……" in text  # name, number, address left to write by hand
    # Money and dates as the English result page writes them (one format for page and letter).
    assert "58.200.000 ₫" in text


# --- the page: POST only, nothing kept -----------------------------------------------------


def _post(example: dict[str, Any], **extra: str) -> dict[str, str]:
    return {
        "engagement": json.dumps(example),
        "recipient": "authority",
        "agency_name": AGENCY,
        "worker_name": IDENTITY.name,
        "worker_id_number": IDENTITY.id_number,
        "worker_address": IDENTITY.address,
        "contract_number": IDENTITY.contract_number,
        "place": IDENTITY.place,
        **extra,
    }


@pytest.mark.django_db
def test_identity_is_printed_and_never_kept(
    client: Client, example: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.post("/vi/fee-check/letter.pdf", _post(example, japanese_copy="1"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text, _fonts = pdf_text_and_fonts(response.content)
    assert IDENTITY.id_number in text and AGENCY in re.sub(r"\s+", " ", text)
    assert not FeeCheck.objects.exists()
    assert not AuditEvent.objects.exists()
    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert IDENTITY.id_number not in json.dumps(sessions, ensure_ascii=False)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert IDENTITY.id_number not in logged and IDENTITY.name not in logged


@pytest.mark.django_db
def test_identity_never_travels_in_the_address(client: Client, example: dict[str, Any]) -> None:
    response = client.get("/vi/fee-check/letter.pdf", _post(example))
    assert response.status_code == 405


@pytest.mark.django_db
def test_a_field_too_long_is_a_clear_error(client: Client, example: dict[str, Any]) -> None:
    response = client.post("/vi/fee-check/letter.pdf", _post(example, worker_id_number="9" * 41))
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_the_result_page_has_the_letter_form(client: Client) -> None:
    from tests.checks.test_views import FORM  # noqa: PLC0415

    html = client.post("/vi/fee-check/", FORM).content.decode()
    form = html[html.index('class="form letter"') :]
    form = form[: form.index("</form>")]
    for name in (
        "worker_name",
        "worker_id_number",
        "worker_address",
        "contract_number",
        "agency_name",
        "english_copy",
        "japanese_copy",
    ):
        assert f'name="{name}"' in form
    # "tien coc" was read as a deposit: the worker is asked to confirm before sending
    assert 'id="letter-confirm"' in form
    assert (
        'method="post"' in html[html.rindex("<form", 0, html.index('class="form letter"')) :][:80]
    )


def test_example_is_not_changed_by_the_letter(example: dict[str, Any]) -> None:
    before = copy.deepcopy(example)
    letter_pdf(engagement=example, request=LetterRequest(), today=TODAY)
    assert example == before


@pytest.mark.django_db
def test_saving_the_check_keeps_no_identity(client: Client, example: dict[str, Any]) -> None:
    # Staff save the check through its own form: only the check's input and result are kept,
    # even if the letter's fields came along.
    from fairpassage.core.models import Role  # noqa: PLC0415
    from tests.checks.test_views import _staff  # noqa: PLC0415
    from tests.factories import OrganisationFactory, login_verified  # noqa: PLC0415

    organisation = OrganisationFactory.create()
    login_verified(client, _staff(organisation, Role.CASE_WORKER))
    response = client.post(
        "/vi/fee-check/save/", {**_post(example), "organisation": organisation.pk}
    )
    assert response.status_code == 302
    check = FeeCheck.objects.get()
    kept = json.dumps([check.input, check.result, check.title], ensure_ascii=False)
    kept += json.dumps([e.data for e in AuditEvent.objects.all()], ensure_ascii=False)
    for value in (IDENTITY.name, IDENTITY.id_number, IDENTITY.address, IDENTITY.contract_number):
        assert value not in kept


@pytest.mark.django_db
@pytest.mark.parametrize("recipient", ["sending_organisation", "authority"])
def test_letter_from_the_page_adds_up_without_rule_ids(
    client: Client, example: dict[str, Any], recipient: str
) -> None:
    response = client.post(
        "/vi/fee-check/letter.pdf",
        {**_post(example, japanese_copy="1", recipient=recipient), "organisation_name": AGENCY},
    )
    assert response.status_code == 200
    text, _fonts = pdf_text_and_fonts(response.content)
    vi, ja = _copies(text)
    for copy_text, pattern in ((vi, VI_AMOUNT), (ja, JA_AMOUNT)):
        *rows, total = _amounts(pattern, copy_text)
        assert rows and sum(rows) == total, copy_text
        assert AGENCY in re.sub(r"\s+", " ", copy_text)
        assert IDENTITY.id_number in copy_text and IDENTITY.contract_number in copy_text
    assert not re.search(r"\b(?:VN|JP|ILO)-", text)


def test_nothing_to_ask_back_makes_no_table(example: dict[str, Any]) -> None:
    example["payments"] = [
        {"label": "Phí dịch vụ", "category": "service_fee", "amount": 50_000_000, "currency": "VND"}
    ]
    assert refund_table(law.check_fees(example, "vi")).rows == ()
    text, _fonts = pdf_text_and_fonts(
        letter_pdf(engagement=example, request=LetterRequest(), today=TODAY)
    )
    assert "₫" not in text and "STT" not in text


@pytest.mark.django_db
def test_no_letter_form_when_nothing_is_above_the_law(client: Client) -> None:
    from tests.checks.test_views import FORM  # noqa: PLC0415

    lawful = {**FORM, "payments-TOTAL_FORMS": "1", "payments-0-amount": "50000000"}
    html = client.post("/vi/fee-check/", lawful).content.decode()
    assert 'id="result"' in html
    assert 'class="form letter"' not in html
