"""The letter asking for unlawful fees back: its rows, its total and its words.

Pure of HTTP: the view hands over the check's input and what the worker typed in the letter
form, and gets PDF bytes. Two addressees, each a formal request in its own register:

- ``sending_organisation``: the enterprise (agency) that took the money, asked to refund it;
- ``authority``: the Department of Overseas Labour, asked to order that enterprise to refund.

The worker's identity (name, ID or passport number, address, contract number) is printed on the
letter and nowhere else: this module keeps it in memory for the one rendering, stores nothing
and logs nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from fairpassage.checks import services
from fairpassage.checks.instruments import basis_words
from fairpassage.checks.refunds import refunds
from fairpassage.checks.templatetags.checks_tags import category_label
from fairpassage.text.normalise import fold
from fairpassage.web.pdf import render_pdf
from fairpassage.web.templatetags.dates import day
from fairpassage.web.templatetags.money import vnd

RECIPIENTS = ("sending_organisation", "authority")
COPIES = ("ja", "en")
#: a line left to fill in by hand when the worker typed nothing
BLANK = "…………………………"


@dataclass(frozen=True)
class Identity:
    """What the worker typed for the letter only; never stored."""

    name: str = ""
    id_number: str = ""
    address: str = ""
    contract_number: str = ""
    place: str = ""


@dataclass
class RefundRow:
    """One payment asked back: its whole amount, or its part above a ceiling."""

    index: int
    label: str
    category: str
    paid_on: str | None
    paid_vnd: int
    refund_vnd: int = 0
    #: the violations behind it, each once, in the engine's order
    findings: list[dict[str, Any]] = field(default_factory=list)
    whole: bool = False


@dataclass(frozen=True)
class RefundTable:
    rows: tuple[RefundRow, ...]
    total_vnd: int


def refund_table(report: dict[str, Any]) -> RefundTable:
    """One row per payment asked back, and their total: the total is the sum of the rows.

    The amounts are those of the result page, from :func:`fairpassage.checks.refunds.refunds`
    (a payment unlawful in full asked back once; a ceiling's excess shared in proportion to the
    payments it covers; the largest share where ceilings overlap; no row above what was paid).
    """
    items = {int(i["index"]): i for i in report["items"]}
    asked = refunds(report)
    rows = tuple(
        RefundRow(
            index=p.index,
            label=str(items[p.index].get("label") or ""),
            category=str(items[p.index].get("category") or "unknown"),
            paid_on=items[p.index].get("paid_on"),
            paid_vnd=p.paid_vnd,
            refund_vnd=p.refund_vnd,
            findings=list(p.findings),
            whole=p.whole,
        )
        for p in asked.asked
    )
    return RefundTable(rows=rows, total_vnd=asked.total_vnd)


# --- words -------------------------------------------------------------------------------

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


DIGITS_VI = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES_VI = ("", "nghìn", "triệu")


def _group_vi(n: int, *, full: bool) -> list[str]:
    """Words for 0-999; ``full`` reads the hundreds even when zero ("không trăm linh năm"), as
    a group after a larger one is read."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS_VI[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += (["linh"] if words else []) + [DIGITS_VI[units]]
        return words
    words += ["mười"] if tens == 1 else [DIGITS_VI[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS_VI[units])
    return words


def _words_vi(n: int) -> list[str]:
    if n >= 1_000_000_000:
        rest = n % 1_000_000_000
        head = [*_words_vi(n // 1_000_000_000), "tỷ"]
        return head + (_words_vi_below_billion(rest, full=True) if rest else [])
    return _words_vi_below_billion(n, full=False)


def _words_vi_below_billion(n: int, *, full: bool) -> list[str]:
    groups = [n // 1_000_000 % 1000, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for group, scale in zip(groups, reversed(SCALES_VI), strict=True):
        if not group:
            continue
        words += _group_vi(group, full=full or bool(words))
        if scale:
            words.append(scale)
    return words


def vnd_in_words_vi(amount: int) -> str:
    """An amount of dong in Vietnamese words, as letters and receipts write it below a figure:
    58200000 -> "Năm mươi tám triệu hai trăm nghìn đồng"."""
    words = _words_vi(int(amount)) if amount else ["không"]
    text = " ".join([*words, "đồng"])
    return text[0].upper() + text[1:]


def date_in_words(on: dt.date, lang: str, place: str = "") -> str:
    """The letter's place and date: "Hà Nội, ngày 07 tháng 12 năm 2026" (vi; day below 10 and
    month below 3 written with a zero, as administrative letters do), "2026年12月7日" (ja),
    "Ha Noi, 7 December 2026" (en)."""
    if lang == "vi":
        month = f"{on.month:02d}" if on.month < 3 else str(on.month)
        return f"{place or BLANK}, ngày {on.day:02d} tháng {month} năm {on.year}"
    if lang == "ja":
        return f"{on.year}年{on.month}月{on.day}日"
    return f"{place + ', ' if place else ''}{on.day} {MONTHS_EN[on.month - 1]} {on.year}"


def _row_words(row: RefundRow) -> dict[str, Any]:
    """One row's words, in the active language (the letter's)."""
    bases: list[str] = []
    for f in row.findings:
        for b in f.get("basis") or []:
            words = basis_words(b)  # in the letter's language (set by the caller)
            if words and words not in bases:
                bases.append(words)
    label = str(category_label(row.category))
    if row.label and fold(row.label) not in fold(label):
        label = f"{label} ({row.label})"
    return {
        "number": 0,
        "label": label,
        "paid_on": day(row.paid_on),
        "whole": row.whole,
        "bases": bases,
        "refund": vnd(row.refund_vnd),
        "refund_vnd": row.refund_vnd,
    }


@dataclass(frozen=True)
class LetterRequest:
    """What the worker chose and typed in the letter form."""

    recipient: str = "sending_organisation"
    agency_name: str = ""
    identity: Identity = Identity()
    copies: tuple[str, ...] = ()


def letter_copy(
    *, report: dict[str, Any], request: LetterRequest, lang: str, today: dt.date
) -> dict[str, Any]:
    """Everything one copy of the letter prints, in ``lang``."""
    table = refund_table(report)
    with translation.override(lang):
        rows = [_row_words(r) for r in table.rows]
        contract_date = day(report.get("law_date"))
        total = vnd(table.total_vnd)
    for number, r in enumerate(rows, start=1):
        r["number"] = number
    ident = request.identity
    return {
        "lang": lang,
        "recipient": request.recipient,
        "agency": request.agency_name or BLANK,
        "agency_given": bool(request.agency_name),
        "name": ident.name or BLANK,
        "id_number": ident.id_number or BLANK,
        "address": ident.address or BLANK,
        "contract_number": ident.contract_number or BLANK,
        "signer": ident.name,
        "contract_date": contract_date or BLANK,
        "dated": date_in_words(today, lang, ident.place),
        "rows": rows,
        "total": total,
        "total_in_words": vnd_in_words_vi(table.total_vnd) if lang == "vi" else "",
        "total_vnd": table.total_vnd,
    }


def letter_context(
    *, engagement: dict[str, Any], request: LetterRequest, today: dt.date
) -> dict[str, Any]:
    """The Vietnamese letter, then the copies asked for (Japanese, English)."""
    agency = request.agency_name or str(engagement.get("agency_name") or "").strip()[:200]
    request = LetterRequest(
        recipient=request.recipient,
        agency_name=agency,
        identity=request.identity,
        copies=request.copies,
    )
    letters = []
    for lang in ("vi", *[c for c in COPIES if c in request.copies]):
        report = services.fee_check_run(data=engagement, language=lang)
        letters.append(letter_copy(report=report, request=request, lang=lang, today=today))
    return {"letters": letters}


def letter_pdf(*, engagement: dict[str, Any], request: LetterRequest, today: dt.date) -> bytes:
    """The letter as PDF bytes (fonts embedded)."""
    return render_pdf(
        "checks/letter.html", letter_context(engagement=engagement, request=request, today=today)
    )
