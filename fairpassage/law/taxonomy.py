"""Cost categories, their ILO class, and the multilingual label classifier.

The classifier folds a label (NFKC, case, Vietnamese diacritics and đ, full/half width, katakana to
hiragana, punctuation) and looks for lexicon phrases in it:

* phrases match on word boundaries (Latin script) or as substrings (Japanese);
* when matches overlap, the longest (most specific) one wins: "tư cách lưu trú" (visa) beats
  "lưu trú" (accommodation);
* matches of two different categories that do not overlap ("vé máy bay + khám sức khỏe") make the
  label ambiguous: the answer is ``None`` (unknown), never a guess;
* blocker phrases (for example "phát sinh", which loses its accents to "phat sinh" and would
  otherwise look like "phạt") stop a match;
* without an exact match, a fuzzy pass (difflib ratio) tolerates small typos in longer phrases.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from fairpassage.law.lexicon import BLOCK, LEXICON

CATEGORIES: tuple[str, ...] = (
    "service_fee",
    "brokerage",
    "deposit",
    "selection_fee",
    "language_training",
    "skills_training",
    "orientation",
    "medical",
    "insurance",
    "documents",
    "visa",
    "travel",
    "accommodation",
    "fund_contribution",
    "bribe",
    "penalty_bond",
    "other",
)

IloClass = Literal["recruitment_fee", "related_cost", "illegitimate", "not_recruitment_cost"]

# ILO 2019 definition: recruitment fees; related costs (medical, insurance incl. welfare funds,
# skills and qualification tests, training and orientation, equipment, travel and lodging,
# administrative); illegitimate costs (bribes, kickbacks, bonds, deposits).
ILO_CLASS: dict[str, IloClass] = {
    "service_fee": "recruitment_fee",
    "brokerage": "recruitment_fee",
    "selection_fee": "recruitment_fee",
    "deposit": "illegitimate",
    "bribe": "illegitimate",
    "penalty_bond": "illegitimate",
    "language_training": "related_cost",
    "skills_training": "related_cost",
    "orientation": "related_cost",
    "medical": "related_cost",
    "insurance": "related_cost",
    "documents": "related_cost",
    "visa": "related_cost",
    "travel": "related_cost",
    "accommodation": "related_cost",
    "fund_contribution": "related_cost",
    "other": "not_recruitment_cost",
}

CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "service_fee": {"vi": "tiền dịch vụ", "ja": "サービス料", "en": "service fee"},
    "brokerage": {"vi": "tiền môi giới", "ja": "仲介料", "en": "brokerage"},
    "deposit": {"vi": "tiền đặt cọc / ký quỹ", "ja": "保証金", "en": "deposit"},
    "selection_fee": {"vi": "phí tuyển chọn", "ja": "選考料", "en": "selection fee"},
    "language_training": {"vi": "học tiếng", "ja": "語学研修費", "en": "language training"},
    "skills_training": {"vi": "đào tạo nghề", "ja": "技能訓練費", "en": "skills training"},
    "orientation": {
        "vi": "giáo dục định hướng",
        "ja": "事前オリエンテーション",
        "en": "orientation",
    },
    "medical": {"vi": "khám sức khỏe", "ja": "健康診断", "en": "medical check"},
    "insurance": {"vi": "bảo hiểm", "ja": "保険", "en": "insurance"},
    "documents": {"vi": "giấy tờ, hồ sơ", "ja": "書類費", "en": "documents"},
    "visa": {"vi": "thị thực (visa)", "ja": "ビザ", "en": "visa"},
    "travel": {"vi": "vé máy bay, đi lại", "ja": "渡航費・交通費", "en": "travel"},
    "accommodation": {"vi": "ăn ở", "ja": "宿泊費", "en": "accommodation"},
    "fund_contribution": {
        "vi": "đóng Quỹ Hỗ trợ việc làm ngoài nước",
        "ja": "海外雇用支援基金への拠出",
        "en": "Overseas Employment Support Fund",
    },
    "bribe": {"vi": "tiền lót tay, hối lộ", "ja": "賄賂", "en": "bribe"},
    "penalty_bond": {"vi": "tiền phạt, thế chấp", "ja": "違約金・担保", "en": "penalty or bond"},
    "other": {"vi": "khoản khác", "ja": "その他", "en": "other"},
}

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_KATA_START, _KATA_END = 0x30A1, 0x30F6
FUZZY_THRESHOLD = 0.86
FUZZY_MIN_LEN = 8


def _is_latin(ch: str) -> bool:
    return ord(ch) < 0x0250 or 0x1E00 <= ord(ch) <= 0x1EFF


def strip_vietnamese(text: str) -> str:
    """Remove accents from Latin letters (đ -> d) but keep Japanese voiced marks."""
    text = text.replace("đ", "d").replace("Đ", "D")
    out: list[str] = []
    prev_latin = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if prev_latin:
                continue
            out.append(ch)
            continue
        prev_latin = _is_latin(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def katakana_to_hiragana(text: str) -> str:
    return "".join(
        chr(ord(ch) - 0x60) if _KATA_START <= ord(ch) <= _KATA_END else ch for ch in text
    )


def fold(text: str) -> str:
    """The matching form of a label: NFKC, case-folded, unaccented, hiragana, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = strip_vietnamese(text)
    text = katakana_to_hiragana(text)
    text = _PUNCT.sub(" ", text)
    return text.strip()


def _has_cjk(text: str) -> bool:
    return any(ord(ch) >= 0x3000 for ch in text)


@dataclass(frozen=True)
class _Phrase:
    folded: str
    category: str  # a category id, or BLOCK
    cjk: bool


def _build_phrases() -> tuple[_Phrase, ...]:
    seen: dict[str, str] = {}
    phrases: list[_Phrase] = []
    for category, raw_phrases in LEXICON.items():
        if category != BLOCK and category not in ILO_CLASS:
            raise ValueError(f"lexicon category {category} is not a category")
        for raw in raw_phrases:
            folded = fold(raw)
            if not folded:
                continue
            if folded in seen:
                if seen[folded] != category:
                    raise ValueError(f"lexicon phrase {raw!r} is in {seen[folded]} and {category}")
                continue
            seen[folded] = category
            phrases.append(_Phrase(folded, category, _has_cjk(folded)))
    return tuple(phrases)


_PHRASES = _build_phrases()


@dataclass(frozen=True)
class Classification:
    category: str | None
    method: Literal["exact", "fuzzy", "none"]
    matched: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    category: str
    phrase: str

    @property
    def length(self) -> int:
        return self.end - self.start


def _find_exact(text: str) -> list[_Match]:
    padded = f" {text} "
    matches: list[_Match] = []
    for phrase in _PHRASES:
        needle = phrase.folded if phrase.cjk else f" {phrase.folded} "
        start = padded.find(needle)
        while start != -1:
            if phrase.cjk:
                s, e = start, start + len(needle)
            else:
                s, e = start + 1, start + len(needle) - 1
            matches.append(_Match(s, e, phrase.category, phrase.folded))
            start = padded.find(needle, start + 1)
    return matches


def _resolve(matches: list[_Match]) -> tuple[str | None, tuple[str, ...]]:
    """Keep maximal matches; overlapping ones yield to the longest; disagreement -> None."""
    kept: list[_Match] = []
    for m in sorted(matches, key=lambda m: (-m.length, m.category != BLOCK, m.start)):
        if any(k.start <= m.start and m.end <= k.end for k in kept):
            continue  # inside a longer match
        if any(m.start < k.end and k.start < m.end and k.category != m.category for k in kept):
            continue  # overlaps a longer match of another category
        kept.append(m)
    if not kept or any(k.category == BLOCK for k in kept):
        return None, tuple(k.phrase for k in kept)
    categories = {k.category for k in kept}
    if len(categories) != 1:
        return None, tuple(k.phrase for k in kept)
    return categories.pop(), tuple(k.phrase for k in kept)


def _fuzzy(text: str) -> tuple[str | None, tuple[str, ...]]:
    """Best fuzzy match of a long phrase against a window of the label; unique category only."""
    best: dict[str, tuple[float, str]] = {}
    compact = text.replace(" ", "")[:80]
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for phrase in _PHRASES:
        target = phrase.folded.replace(" ", "")
        if len(target) < (3 if phrase.cjk else FUZZY_MIN_LEN):
            continue
        threshold = 0.8 if phrase.cjk else FUZZY_THRESHOLD
        matcher.set_seq2(target)
        n = len(target)
        for width in (n - 1, n, n + 1):
            if width <= 0 or width > len(compact):
                continue
            for i in range(len(compact) - width + 1):
                matcher.set_seq1(compact[i : i + width])
                if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                    continue
                ratio = matcher.ratio()
                if ratio >= threshold and ratio > best.get(phrase.category, (0.0, ""))[0]:
                    best[phrase.category] = (ratio, phrase.folded)
    if not best:
        return None, ()
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    if BLOCK in best:
        return None, ()
    if len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < 0.05:
        return None, ()
    return ranked[0][0], (ranked[0][1][1],)


def classify(label: str) -> Classification:
    """Classify a payment label into a category id, or ``None`` when unsure."""
    text = fold(label)
    if not text:
        return Classification(None, "none")
    matches = _find_exact(text)
    if matches:
        category, matched = _resolve(matches)
        return Classification(category, "exact" if category else "none", matched)
    category, matched = _fuzzy(text)
    return Classification(category, "fuzzy" if category else "none", matched)


def ilo_class(category: str) -> IloClass:
    return ILO_CLASS[category]
