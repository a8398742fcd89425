"""Cost categories, their ILO class, and the multilingual label classifier.

The classifier folds a label with the same function that folds organisation names
(:func:`fairpassage.text.normalise.fold`: NFKC, case, Vietnamese diacritics and đ, full/half width,
hiragana to katakana, punctuation), so a fix to folding reaches both, and looks for lexicon phrases
in it:

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
from dataclasses import dataclass
from typing import Literal

from fairpassage.law.lexicon import BLOCK, LEXICON
from fairpassage.text.normalise import fold

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
    # Added in December 2026 where the law splits an older category (issue 14). The older codes
    # stay valid: "travel" is travel whose trip is not said, "skills_training" and
    # "language_training" are training (a test has its own code).
    "flight_to_japan",
    "flight_home",
    "air_ticket",
    "domestic_travel",
    "language_test",
    "skills_test",
    # Costs of life and work in Japan that look like recruitment costs but are not the same thing.
    "housing_deposit",
    "job_change_fee",
    "support_fee",
    "supervision_fee",
)

#: Categories that are fees of a Japanese organisation (a supervising organisation, a registered
#: support organisation, a Japanese placement agency): never a Vietnamese service fee.
JAPANESE_FEE_CATEGORIES: tuple[str, ...] = ("job_change_fee", "support_fee", "supervision_fee")

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
    "flight_to_japan": "related_cost",
    "flight_home": "related_cost",
    "air_ticket": "related_cost",
    "domestic_travel": "related_cost",
    "language_test": "related_cost",
    "skills_test": "related_cost",
    "housing_deposit": "not_recruitment_cost",
    "job_change_fee": "recruitment_fee",
    "support_fee": "related_cost",
    "supervision_fee": "recruitment_fee",
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
    "flight_to_japan": {
        "vi": "vé máy bay sang Nhật Bản",
        "ja": "日本への航空券",
        "en": "flight to Japan",
    },
    "flight_home": {"vi": "vé máy bay về nước", "ja": "帰国の航空券", "en": "flight home"},
    "air_ticket": {
        "vi": "vé máy bay (không rõ chiều đi hay về)",
        "ja": "航空券（行き・帰りの別なし）",
        "en": "air ticket (direction not stated)",
    },
    "domestic_travel": {
        "vi": "đi lại trong nước",
        "ja": "国内の交通費",
        "en": "domestic travel",
    },
    "language_test": {"vi": "thi tiếng", "ja": "語学試験の受験料", "en": "language test fee"},
    "skills_test": {"vi": "thi tay nghề", "ja": "技能試験の受験料", "en": "skills test fee"},
    "housing_deposit": {
        "vi": "tiền cọc thuê nhà",
        "ja": "敷金・礼金",
        "en": "landlord's deposit",
    },
    "job_change_fee": {"vi": "phí chuyển việc", "ja": "転職手数料", "en": "job-change fee"},
    "support_fee": {
        "vi": "phí của tổ chức hỗ trợ đã đăng ký",
        "ja": "登録支援機関の費用",
        "en": "registered support organisation fee",
    },
    "supervision_fee": {
        "vi": "phí quản lý của tổ chức quản lý (nghiệp đoàn)",
        "ja": "監理費",
        "en": "supervision fee",
    },
}

FUZZY_THRESHOLD = 0.86
FUZZY_MIN_LEN = 8

__all__ = ["CATEGORIES", "CATEGORY_NAMES", "ILO_CLASS", "Classification", "classify", "fold"]


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
