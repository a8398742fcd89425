"""Amounts of money as people write them, read into a number and (when written) a currency.

Pure: no Django. Vietnamese writing groups thousands with "." ("120.000.000"); others group with ","
or a space; people also write "120tr", "120 triệu", "1,2 tỷ", "¥180,000", "18万円", "180.000 yên",
without diacritics ("120 trieu", "1,2 ty") and with full-width digits. An entry that could be read
two ways ("1.5", "120,5" for dong or yen) is refused with the code ``ambiguous``: the form asks the
person, it never guesses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["AmountError", "ParsedAmount", "parse_amount"]


class AmountError(ValueError):
    """Why an amount could not be read. ``code`` is one of: empty, invalid, negative, ambiguous,
    currencies (two different currencies written), precision (finer than a hundredth)."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text


@dataclass(frozen=True)
class ParsedAmount:
    value: Decimal
    currency: str | None  # "VND", "JPY" or "USD" when written in the amount, else None


# Currency marks, longest first; matched on the lower-cased NFKC text, with diacritics.
_CURRENCY_MARKS: tuple[tuple[str, str], ...] = (
    ("đô la mỹ", "USD"),
    ("đô la", "USD"),
    ("do la", "USD"),
    ("us$", "USD"),
    ("usd", "USD"),
    ("đô", "USD"),
    ("$", "USD"),
    ("vnđ", "VND"),
    ("vnd", "VND"),
    ("đồng", "VND"),
    ("dong", "VND"),
    ("₫", "VND"),
    ("đ", "VND"),
    ("jpy", "JPY"),
    ("yên", "JPY"),
    ("yen", "JPY"),
    ("円", "JPY"),
    ("¥", "JPY"),
)
_LETTER = r"a-zà-ỹđ"
_CURRENCY = re.compile(
    "|".join(
        (
            rf"(?<![{_LETTER}]){re.escape(mark)}(?![{_LETTER}])"
            if len(mark) > 1 and mark[0].isalpha()
            else re.escape(mark)
        )
        for mark, _code in _CURRENCY_MARKS
    )
)
_CURRENCY_CODE = dict(_CURRENCY_MARKS)

# Multipliers written after the number, matched without diacritics.
_MULTIPLIERS: dict[str, int] = {
    "ty": 10**9,
    "ti": 10**9,
    "trieu": 10**6,
    "tr": 10**6,
    "nghin": 10**3,
    "ngan": 10**3,
    "k": 10**3,
    "億": 10**8,
    "万": 10**4,
    "千": 10**3,
}
_MULTIPLIER = re.compile(
    r"^(?P<number>.*?)\s*(?P<unit>"
    + "|".join(sorted((re.escape(m) for m in _MULTIPLIERS), key=len, reverse=True))
    + r")$"
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"^\d[\d.,]*$")


def _without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _groups_of_three(parts: list[str]) -> bool:
    return 1 <= len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])


def _numeral(text: str, *, scaled: bool, decimals_plausible: bool, original: str) -> Decimal:
    """Digits with separators; ``scaled`` when a multiplier follows (so "1,2 tỷ" is a decimal)."""
    if not _NUMBER.match(text):
        raise AmountError("invalid", original)
    marks = [ch for ch in text if ch in ".,"]
    if not marks:
        return Decimal(text)
    kinds = set(marks)
    if len(kinds) == 2:
        # "1.234.567,5" or "1,234,567.5": the last mark is the decimal one, used once, and the
        # other mark groups in threes; anything else is asked about.
        decimal_mark = text[max(text.rfind("."), text.rfind(","))]
        group_mark = "," if decimal_mark == "." else "."
        whole, _, fraction = text.rpartition(decimal_mark)
        if decimal_mark in whole or not fraction or not _groups_of_three(whole.split(group_mark)):
            raise AmountError("ambiguous", original)
        return Decimal(whole.replace(group_mark, "") + "." + fraction)
    mark = marks[0]
    parts = text.split(mark)
    if any(not part for part in parts):
        raise AmountError("invalid", original)
    if len(parts) > 2:
        if not _groups_of_three(parts):
            raise AmountError("ambiguous", original)
        return Decimal("".join(parts))
    whole, fraction = parts
    if scaled:
        # "1,2 tỷ" / "1.5tr" are decimals; "1.500 tr" could be 1,500 million or 1.5 million.
        if len(fraction) == 3:
            raise AmountError("ambiguous", original)
        return Decimal(f"{whole}.{fraction}")
    if len(fraction) == 3 and len(whole) <= 3:
        return Decimal(whole + fraction)  # "120.000", "180,000": thousands
    if decimals_plausible and len(fraction) <= 2:
        return Decimal(f"{whole}.{fraction}")  # "12.50" dollars
    raise AmountError("ambiguous", original)


def parse_amount(text: str, *, currency: str | None = None) -> ParsedAmount:
    """Read an amount as typed. ``currency`` is the one chosen beside the field, if any: for
    dollars "12.50" is a decimal; for dong and yen it is asked about. Raises AmountError."""
    original = text
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned:
        raise AmountError("empty", original)
    if cleaned.startswith("-") or cleaned.endswith("-"):
        raise AmountError("negative", original)
    written = {_CURRENCY_CODE[m.group(0)] for m in _CURRENCY.finditer(cleaned)}
    if len(written) > 1:
        raise AmountError("currencies", original)
    written_currency = next(iter(written), None)
    rest = _without_diacritics(_CURRENCY.sub(" ", cleaned)).strip()
    multiplier = 1
    match = _MULTIPLIER.match(rest)
    if match:
        multiplier = _MULTIPLIERS[match.group("unit")]
        rest = match.group("number")
    rest = rest.strip()
    if not rest:
        raise AmountError("invalid", original)
    # Spaces only ever group thousands: "120 000 000".
    chunks = _SPACES.split(rest)
    if len(chunks) > 1:
        if not all(chunk.isdigit() for chunk in chunks) or not _groups_of_three(chunks):
            raise AmountError(
                "invalid" if not all(c.isdigit() for c in chunks) else "ambiguous", original
            )
        rest = "".join(chunks)
    effective = written_currency or currency
    try:
        number = _numeral(
            rest,
            scaled=multiplier != 1,
            decimals_plausible=effective == "USD",
            original=original,
        )
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise AmountError("invalid", original) from exc
    value = number * multiplier
    if value != value.quantize(Decimal("0.01")):
        raise AmountError("precision", original)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return ParsedAmount(value=value, currency=written_currency)
