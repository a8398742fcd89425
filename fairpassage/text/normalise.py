"""Unicode normalisation of organisation names and licence numbers (Vietnamese and Japanese).

Everything here is pure and deterministic. The pipeline for a name is:

1. :func:`fold` - NFKC (full/half width, circled and parenthesised forms such as ``㈱``),
   case folding, Vietnamese diacritics stripped (``đ`` -> ``d``), hiragana folded to katakana,
   every character that is not a letter or digit turned into a space, spaces collapsed.
2. Legal-form words are recognised in any spelling (``Công ty cổ phần``, ``CTCP``, ``JSC``,
   ``Co., Ltd``, ``株式会社``, ``(株)``, ``協同組合`` ...) and moved out of the name into a
   separate, canonical set of :attr:`NormalisedName.legal_forms`, so they never decide a
   match but can still break a tie.

Licence numbers go through :func:`licence_key`: folded, punctuation and spaces dropped, leading
zeros of each digit run removed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass

__all__ = [
    "JA_FORM_READINGS",
    "NormalisedName",
    "fold",
    "fold_kana",
    "licence_digits",
    "licence_key",
    "normalise_name",
    "strip_diacritics",
]

# Canonical legal-form tokens. Latin codes are themselves recognised as legal forms, so a
# normalised name read back normalises to itself.
JSC = "jsc"
LLC = "llc"
ONE_MEMBER = "mtv"
CORP = "corp"
COMPANY = "company"
COOP_VN = "htx"

#: Latin legal-form phrases (as folded tokens) -> canonical forms. Longest phrase wins.
_LATIN_FORMS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("cong", "ty", "co", "phan"): (JSC,),
    ("cong", "ty", "cp"): (JSC,),
    ("cty", "co", "phan"): (JSC,),
    ("cty", "cp"): (JSC,),
    ("ctcp",): (JSC,),
    ("ctycp",): (JSC,),
    ("co", "phan"): (JSC,),
    ("jsc",): (JSC,),
    ("j", "s", "c"): (JSC,),
    ("joint", "stock", "company"): (JSC,),
    ("joint", "stock", "corporation"): (JSC,),
    ("joint", "stock", "co"): (JSC,),
    ("cong", "ty", "trach", "nhiem", "huu", "han"): (LLC,),
    ("trach", "nhiem", "huu", "han"): (LLC,),
    ("cong", "ty", "tnhh"): (LLC,),
    ("cty", "tnhh"): (LLC,),
    ("tnhh",): (LLC,),
    ("co", "ltd"): (LLC,),
    ("co", "limited"): (LLC,),
    ("company", "limited"): (LLC,),
    ("company", "ltd"): (LLC,),
    ("limited", "company"): (LLC,),
    ("limited", "liability", "company"): (LLC,),
    ("ltd",): (LLC,),
    ("limited",): (LLC,),
    ("llc",): (LLC,),
    ("mot", "thanh", "vien"): (ONE_MEMBER,),
    ("1", "thanh", "vien"): (ONE_MEMBER,),
    ("mtv",): (ONE_MEMBER,),
    ("one", "member"): (ONE_MEMBER,),
    ("tong", "cong", "ty"): (CORP,),
    ("tct",): (CORP,),
    ("corporation",): (CORP,),
    ("corp",): (CORP,),
    ("cong", "ty"): (COMPANY,),
    ("cty",): (COMPANY,),
    ("company",): (COMPANY,),
    ("hop", "tac", "xa"): (COOP_VN,),
    ("htx",): (COOP_VN,),
}
_LATIN_MAX = max(len(k) for k in _LATIN_FORMS)
_LATIN_FIRST = frozenset(k[0] for k in _LATIN_FORMS)

#: Japanese legal forms as they appear after folding (kanji are unchanged by folding).
_JA_FORMS: tuple[str, ...] = tuple(
    sorted(
        [
            "事業協同組合",
            "協同組合",
            "協業組合",
            "株式会社",
            "有限会社",
            "合同会社",
            "合資会社",
            "合名会社",
            "一般社団法人",
            "一般財団法人",
            "公益社団法人",
            "公益財団法人",
            "特定非営利活動法人",
            "社会福祉法人",
        ],
        key=lambda s: (-len(s), s),
    )
)
#: Legal forms written in kana (a reading, or a name typed without kanji), as folded (katakana).
JA_FORM_READINGS: dict[str, str] = {
    "ジギョウキョウドウクミアイ": "事業協同組合",
    "キョウドウクミアイ": "協同組合",
    "キョウギョウクミアイ": "協業組合",
    "カブシキガイシャ": "株式会社",
    "カブシキカイシャ": "株式会社",
    "ユウゲンガイシャ": "有限会社",
    "ユウゲンカイシャ": "有限会社",
    "ゴウドウガイシャ": "合同会社",
    "ゴウドウカイシャ": "合同会社",
    "イッパンシャダンホウジン": "一般社団法人",
    "イッパンザイダンホウジン": "一般財団法人",
    "コウエキシャダンホウジン": "公益社団法人",
    "コウエキザイダンホウジン": "公益財団法人",
    "トクテイヒエイリカツドウホウジン": "特定非営利活動法人",
    "シャカイフクシホウジン": "社会福祉法人",
}
_JA_ALIASES: dict[str, str] = {"npo法人": "特定非営利活動法人", **JA_FORM_READINGS}
#: Parenthesised abbreviations, as NFKC renders them (``㈱`` -> ``(株)``).
_JA_PAREN: dict[str, str] = {
    "株": "株式会社",
    "有": "有限会社",
    "同": "合同会社",
    "資": "合資会社",
    "名": "合名会社",
    "協": "協同組合",
    "一社": "一般社団法人",
    "一財": "一般財団法人",
    "公社": "公益社団法人",
    "公財": "公益財団法人",
    "特非": "特定非営利活動法人",
    "福": "社会福祉法人",
}
_JA_PAREN_RE = re.compile(
    r"\(\s*(" + "|".join(sorted(_JA_PAREN, key=len, reverse=True)) + r")\s*\)"
)
_JA_FORM_RE = re.compile(
    "|".join(re.escape(s) for s in sorted([*_JA_FORMS, *_JA_ALIASES], key=lambda s: -len(s)))
)
_FORM_SETS: dict[frozenset[str], frozenset[str]] = {}
_DIGITS_OR_NOT = re.compile(r"\d+|\D+")
#: Not a letter or digit (``\W`` is exactly ``not str.isalnum()``, plus the underscore).
_NOT_ALNUM = re.compile(r"[\W_]+")
_COMBINING = dict.fromkeys(range(0x0300, 0x0370))
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def strip_diacritics(text: str) -> str:
    """Remove Latin combining marks (Vietnamese tones and vowel marks) and fold ``đ``/``Đ``.

    Japanese voicing marks (dakuten) are kept: ``ガ`` stays ``ガ``.
    """
    if text.isascii():
        return text
    kept = unicodedata.normalize("NFD", text).translate(_COMBINING)
    return unicodedata.normalize("NFC", kept).replace("đ", "d").replace("Đ", "D")


def fold_kana(text: str) -> str:
    """Fold hiragana to katakana (one form for both scripts)."""
    return text.translate(_HIRAGANA_TO_KATAKANA)


def _fold_once(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKC", strip_diacritics(text))
    return fold_kana(text)


def _fold_chars(text: str) -> str:
    """Fold width, case, diacritics and kana; keep punctuation (needed for ``(株)``)."""
    for _ in range(4):
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


def _collapse(text: str) -> str:
    return _NOT_ALNUM.sub(" ", text).strip()


def fold(text: str) -> str:
    """Fold a string for comparison: width, case, diacritics, kana, punctuation, spacing.

    >>> fold("Công ty  TNHH  Đông Á")
    'cong ty tnhh dong a'
    >>> fold("ｻｸﾗ・こくさい")
    'サクラ コクサイ'
    """
    for _ in range(4):
        folded = _collapse(_fold_chars(text))
        if folded == text:
            break
        text = folded
    return text


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name split into its distinctive tokens and its legal forms."""

    tokens: tuple[str, ...]
    legal_forms: frozenset[str]
    #: initials of the tokens as written, legal-form words included ("vnjsc").
    raw_initials: str

    @property
    def core(self) -> str:
        """The distinctive part of the name, tokens separated by one space."""
        return " ".join(self.tokens)

    @property
    def compact(self) -> str:
        """The distinctive part without spaces (robust to spacing mistakes)."""
        return "".join(self.tokens)

    @property
    def initials(self) -> str:
        """First character of each distinctive token ("vnj" for "viet nhat joint")."""
        return "".join(t[0] for t in self.tokens)

    @property
    def text(self) -> str:
        """Canonical legal forms, then the core; normalises back to the same tokens and forms.

        Forms come first: no legal-form phrase starts with a canonical form and continues into
        a core token, whereas "joint stock" + "company" would.
        """
        return " ".join([*sorted(self.legal_forms), *self.tokens])


def _remove_ja_forms(text: str, forms: set[str]) -> str:
    def repl(m: re.Match[str]) -> str:
        found = m.group(0)
        forms.add(_JA_ALIASES.get(found, found))
        return " "

    while True:
        new = _JA_FORM_RE.sub(repl, text)
        if new == text:
            return text
        text = new


def _remove_latin_forms(tokens: list[str], forms: set[str]) -> list[str]:
    changed = True
    while changed:
        changed = False
        out: list[str] = []
        i = 0
        while i < len(tokens):
            if tokens[i] not in _LATIN_FIRST:
                out.append(tokens[i])
                i += 1
                continue
            for size in range(min(_LATIN_MAX, len(tokens) - i), 0, -1):
                canon = _LATIN_FORMS.get(tuple(tokens[i : i + size]))
                if canon is not None:
                    forms.update(canon)
                    i += size
                    changed = True
                    break
            else:
                out.append(tokens[i])
                i += 1
        tokens = out
    return tokens


def normalise_name(name: str) -> NormalisedName:
    """Normalise an organisation name; legal forms are separated into canonical tokens.

    >>> n = normalise_name("Công ty Cổ phần Nhân lực Việt Nhật")
    >>> n.core, sorted(n.legal_forms)
    ('nhan luc viet nhat', ['jsc'])
    >>> n = normalise_name("㈱ さくら国際")
    >>> n.core, sorted(n.legal_forms)
    ('サクラ国際', ['株式会社'])
    """
    forms: set[str] = set()
    chars = _fold_chars(name)
    chars = _JA_PAREN_RE.sub(lambda m: " " + _JA_PAREN[m.group(1)] + " ", chars)
    text = fold(chars)
    raw_initials = "".join(t[0] for t in text.split())
    text = _remove_ja_forms(text, forms)
    tokens = _remove_latin_forms(text.split(), forms)
    # Names share their words and legal forms: one object each keeps a large index small.
    frozen = frozenset(forms)
    return NormalisedName(
        tuple(sys.intern(t) for t in tokens), _FORM_SETS.setdefault(frozen, frozen), raw_initials
    )


def licence_key(number: str) -> str:
    """A comparable key for a licence number: no punctuation, spaces or leading zeros.

    >>> licence_key("0123/LĐTBXH-GP") == licence_key("123 ldtbxh gp")
    True
    >>> licence_key("許 1234567890")
    '許1234567890'
    """
    compact = fold(number).replace(" ", "")
    parts = [p.lstrip("0") or "0" if p.isdigit() else p for p in _DIGITS_OR_NOT.findall(compact)]
    return "".join(parts)


def licence_digits(number: str) -> str:
    """Only the digit runs of a licence number, leading zeros removed, joined by ``-``."""
    return "-".join(p.lstrip("0") or "0" for p in re.findall(r"\d+", fold(number)))
