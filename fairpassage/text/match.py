"""Scoring and ranking of organisation records against what a worker typed.

An :class:`Index` is built once from :class:`Candidate` records (several name variants and
licence numbers each) and answers :meth:`Index.search` with :class:`Match` objects ranked by a
score in ``0..1`` and the reason for it. Candidates are shortlisted through exact-key tables
(licence, normalised name, sorted tokens, initials) and a character-bigram inverted index, and
only the shortlist is scored in full, so a query over 10,000 records stays in milliseconds.

Ordering is deterministic: score descending, then the candidate's ``id``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from fairpassage.text.normalise import (
    COMPANY,
    NormalisedName,
    licence_digits,
    licence_key,
    normalise_name,
)

__all__ = [
    "Candidate",
    "Index",
    "Match",
    "edit_distance",
    "rank",
    "score_name",
]

# Reasons, strongest first.
EXACT_LICENCE = "exact_licence"
LICENCE_DIGITS = "licence_digits"
EXACT_NAME = "exact_name"
WORD_ORDER = "word_order"
TOKEN_SET = "token_set"  # noqa: S105 - a reason, not a secret
INITIALS = "initials"
TYPO = "typo"
PARTIAL = "partial"

#: Score lost when the query names a legal form the record does not have.
LEGAL_FORM_PENALTY = 0.03
#: How many bigram-shortlisted names are scored in full.
SHORTLIST = 120


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record to search: a stable id, its name variants and its licence numbers."""

    id: str
    names: tuple[str, ...]
    licences: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked result: the candidate id, a score in 0..1, why, and what matched."""

    id: str
    score: float
    reason: str
    matched: str


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance; stops early and returns ``limit + 1`` once it exceeds ``limit``."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if limit is not None and len(a) - len(b) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@lru_cache(maxsize=1 << 16)
def _token_similarity(q: str, n: str) -> float:
    if q == n:
        return 1.0
    shorter = min(len(q), len(n))
    if shorter >= 3 and n.startswith(q):
        return 0.9
    if shorter < 3:
        return 0.0
    limit = 1 if max(len(q), len(n)) <= 5 else 2
    if len(set(q) ^ set(n)) > 2 * limit:  # each edit changes at most two characters' presence
        return 0.0
    d = edit_distance(q, n, limit)
    if d > limit:
        return 0.0
    return max(0.0, 1.0 - d / max(len(q), len(n)) * 1.2)


def _forms_compatible(query: NormalisedName, name: NormalisedName) -> bool:
    return (query.legal_forms - {COMPANY}) <= name.legal_forms


def score_name(query: NormalisedName, name: NormalisedName) -> tuple[float, str]:
    """Score one normalised name against a normalised query: ``(score in 0..1, reason)``."""
    if not query.tokens or not name.tokens:
        return 0.0, ""
    penalty = 0.0 if _forms_compatible(query, name) else LEGAL_FORM_PENALTY
    qc, nc = query.compact, name.compact
    if qc == nc:
        return 1.0 - penalty, EXACT_NAME
    if sorted(query.tokens) == sorted(name.tokens):
        return 0.95 - penalty, WORD_ORDER
    best, reason = 0.0, ""

    # Token set with typo-tolerant tokens: how much of the query the name covers.
    total = 0.0
    all_exact = True
    for qt in query.tokens:
        sim = max(_token_similarity(qt, nt) for nt in name.tokens)
        all_exact = all_exact and sim == 1.0
        total += sim
    coverage = total / len(query.tokens)
    precision = min(1.0, total / len(name.tokens))
    token_score = coverage * (0.78 + 0.15 * precision)
    if token_score > best:
        best, reason = token_score, TOKEN_SET if all_exact else TYPO

    # Whole-string similarity: spacing mistakes, scripts without spaces (Japanese).
    if best < 0.93:
        matcher = SequenceMatcher(None, qc, nc, autojunk=False)
        if matcher.quick_ratio() * 0.95 > best:
            ratio = matcher.ratio() * 0.95
            if ratio > best:
                best, reason = ratio, TYPO
    if len(qc) >= 2 and qc in nc:
        partial = 0.75 + 0.18 * len(qc) / len(nc)
        if partial > best:
            best, reason = partial, PARTIAL

    # Abbreviations: "vnj" for "viet nhat joint", also with legal-form letters ("vnjsc").
    if len(query.tokens) == 1 and len(qc) >= 2 and qc.isalpha() and qc.isascii():
        if len(name.tokens) >= 2 and qc == name.initials:
            initials = 0.92
        elif qc == name.raw_initials and len(name.raw_initials) >= 2:
            initials = 0.9
        elif name.raw_initials.startswith(qc) or name.initials.startswith(qc):
            initials = 0.7
        else:
            initials = 0.0
        if initials > best:
            best, reason = initials, INITIALS
    return max(0.0, min(1.0, best - penalty)), reason


def _bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _initials_keys(name: NormalisedName) -> set[str]:
    keys: set[str] = set()
    for initials in (name.initials, name.raw_initials):
        if initials.isascii():
            keys.update(initials[:k] for k in range(2, len(initials) + 1))
    return keys


def _looks_like_licence(text: str) -> bool:
    alnum = [c for c in text if c.isalnum()]
    digits = sum(c.isdigit() for c in alnum)
    return digits >= 2 and digits * 3 >= len(alnum)


@dataclass
class Index:
    """Candidates prepared for repeated searches."""

    candidates: list[Candidate] = field(default_factory=list)
    _names: list[tuple[int, str, NormalisedName]] = field(default_factory=list, repr=False)
    _name_grams: list[int] = field(default_factory=list, repr=False)
    _by_compact: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _by_sorted: dict[tuple[str, ...], list[int]] = field(default_factory=dict, repr=False)
    _by_initials: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _by_gram: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _by_licence: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)
    _by_digits: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, candidates: Iterable[Candidate]) -> Index:
        """Prepare an index over ``candidates``."""
        index = cls()
        for candidate in candidates:
            index.add(candidate)
        return index

    def add(self, candidate: Candidate) -> None:
        """Add one candidate."""
        position = len(self.candidates)
        self.candidates.append(candidate)
        for raw in candidate.names:
            name = normalise_name(raw)
            if not name.tokens:
                continue
            ref = len(self._names)
            self._names.append((position, raw, name))
            grams = _bigrams(name.compact)
            self._name_grams.append(len(grams))
            self._by_compact.setdefault(name.compact, []).append(ref)
            self._by_sorted.setdefault(tuple(sorted(name.tokens)), []).append(ref)
            for key in _initials_keys(name):
                self._by_initials.setdefault(key, []).append(ref)
            for gram in grams:
                self._by_gram.setdefault(gram, []).append(ref)
        for number in candidate.licences:
            key = licence_key(number)
            if key:
                self._by_licence.setdefault(key, []).append((position, number))
            digits = licence_digits(number)
            if digits:
                self._by_digits.setdefault(digits, []).append((position, number))

    def _shortlist(self, query: NormalisedName) -> set[int]:
        refs: set[int] = set()
        refs.update(self._by_compact.get(query.compact, ()))
        refs.update(self._by_sorted.get(tuple(sorted(query.tokens)), ()))
        if len(query.tokens) == 1:
            refs.update(self._by_initials.get(query.compact, ()))
        grams = _bigrams(query.compact)
        if grams:
            counts: Counter[int] = Counter()
            for gram in grams:
                postings = self._by_gram.get(gram)
                if postings:
                    counts.update(postings)
            size = len(grams)
            name_grams = self._name_grams

            def closeness(item: tuple[int, int]) -> float:
                ref, shared = item
                return shared / size + 2 * shared / (size + name_grams[ref])

            refs.update(ref for ref, _ in heapq.nlargest(SHORTLIST, counts.items(), key=closeness))
        return refs

    def search(self, query: str, limit: int = 10, min_score: float = 0.5) -> list[Match]:
        """Rank candidates for ``query``; best first, ties broken by candidate id."""
        best: dict[int, Match] = {}

        def offer(position: int, score: float, reason: str, matched: str) -> None:
            current = best.get(position)
            if current is None or score > current.score:
                cid = self.candidates[position].id
                best[position] = Match(cid, round(score, 4), reason, matched)

        if any(c.isdigit() for c in query):
            for position, number in self._by_licence.get(licence_key(query), ()):
                offer(position, 1.0, EXACT_LICENCE, number)
        if _looks_like_licence(query):
            for position, number in self._by_digits.get(licence_digits(query), ()):
                offer(position, 0.96, LICENCE_DIGITS, number)
        normalised = normalise_name(query)
        if normalised.tokens:
            for ref in self._shortlist(normalised):
                position, raw, name = self._names[ref]
                score, reason = score_name(normalised, name)
                if score >= min_score:
                    offer(position, score, reason, raw)
        ranked = sorted(best.items(), key=lambda item: (-item[1].score, item[1].id, item[0]))
        return [match for _, match in ranked[:limit]]


def rank(
    query: str, candidates: Sequence[Candidate], limit: int = 10, min_score: float = 0.5
) -> list[Match]:
    """One-off search: build an :class:`Index` over ``candidates`` and search it."""
    return Index.build(candidates).search(query, limit=limit, min_score=min_score)
