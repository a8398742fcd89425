"""Scoring and ranking of organisation records against what a worker typed.

An :class:`Index` is built once from :class:`Candidate` records (several name variants and
licence numbers each) and answers :meth:`Index.search` with :class:`Match` objects ranked by a
score in ``0..1`` and the reason for it. Candidates are shortlisted in three steps, so a query
over 100,000 records stays within a few milliseconds:

1. exact-key tables: licence number, normalised name, sorted tokens, initials;
2. an inverted index of n-grams (character trigrams and word pairs of Latin names, character
   bigrams and trigrams of Japanese ones), read from its rarest posting lists up to a fixed
   budget of entries, gives a few hundred candidates;
3. compiled similarity scorers (rapidfuzz) keep the best of those by whole-string, partial and
   token-set similarity.

Only the shortlist is scored in full by :func:`score_name`. A query typed in romaji is also
searched as kana (:mod:`fairpassage.text.romaji`) against the names and the kana ``reading`` of
each record.

Ordering is deterministic: score descending, then the candidate's ``id``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, Levenshtein

from fairpassage.text.normalise import (
    COMPANY,
    NormalisedName,
    licence_digits,
    licence_key,
    normalise_name,
)
from fairpassage.text.romaji import phonetic_kana, romaji_query

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
#: How many n-gram-shortlisted names are scored in full (at most; several scorers pick them).
SHORTLIST = 45
#: Posting entries read per query before the commonest n-grams are skipped.
GRAM_BUDGET = 4_000
#: The rarest n-grams always read, whatever the budget.
MIN_GRAMS = 1
#: Candidates (by shared n-grams) passed to the compiled scorers.
PRESELECT = 200
#: Names taken from one exact-key table at most (a very common key says little).
KEY_CAP = 200
#: Characters of a query looked at (a pasted name is shorter; a longer text costs more).
MAX_QUERY = 300
#: Scores found through a romaji-to-kana rewriting of the query are scaled by this.
ROMAJI_FACTOR = 0.98


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record to search: a stable id, its name variants, its licence numbers and, for a
    Japanese name written in kanji, its reading in kana (so that romaji finds it)."""

    id: str
    names: tuple[str, ...]
    licences: tuple[str, ...] = ()
    reading: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked result: the candidate id, a score in 0..1, why, and what matched."""

    id: str
    score: float
    reason: str
    matched: str


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance; returns ``limit + 1`` once it exceeds ``limit``."""
    if limit is None:
        return int(Levenshtein.distance(a, b))
    return int(Levenshtein.distance(a, b, score_cutoff=limit))


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
        # Words moved, not changed: keeping more of the query's word pairs ranks higher
        # ("Lam Sơn Nhân lực" is nearer "Nhân lực Lam Sơn" than "Nhân lực Sơn Lam").
        pairs = set(pairwise(query.tokens))
        kept = len(pairs & set(pairwise(name.tokens))) / len(pairs) if pairs else 1.0
        return 0.93 + 0.02 * kept - penalty, WORD_ORDER
    best, reason = 0.0, ""

    # Token set with typo-tolerant tokens: how much of the query the name covers, each name
    # token used once (exact matches first, then the closest remaining token).
    remaining = list(name.tokens)
    total = 0.0
    pending = []
    for qt in query.tokens:
        if qt in remaining:
            remaining.remove(qt)
            total += 1.0
        else:
            pending.append(qt)
    all_exact = not pending
    for qt in pending:
        sims = [_token_similarity(qt, nt) for nt in remaining]
        if sims:
            sim = max(sims)
            if sim > 0.0:
                del remaining[sims.index(sim)]
            total += sim
    coverage = total / len(query.tokens)
    precision = min(1.0, total / len(name.tokens))
    token_score = coverage * (0.78 + 0.15 * precision)
    if token_score > best:
        best, reason = token_score, TOKEN_SET if all_exact else TYPO

    # Whole-string similarity: spacing mistakes, scripts without spaces (Japanese).
    if best < 0.93:
        ratio = Indel.normalized_similarity(qc, nc) * 0.95
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


def _grams(name: NormalisedName) -> set[str]:
    """The n-grams a name is indexed by: character trigrams and adjacent word pairs of a Latin
    name; character bigrams and trigrams of any other (kana and kanji carry more per character).
    A word pair ("sao mai") contains a space, so it never equals a character n-gram."""
    text = name.compact
    if len(text) <= 2:
        return {text} if text else set()
    grams = {text[i : i + 3] for i in range(len(text) - 2)}
    if text.isascii():
        grams.update(f"{a} {b}" for a, b in pairwise(name.tokens))
    else:
        grams.update(text[i : i + 2] for i in range(len(text) - 1))
    return grams


def _phonetic(name: NormalisedName) -> NormalisedName:
    return NormalisedName(
        tuple(phonetic_kana(t) for t in name.tokens), name.legal_forms, name.raw_initials
    )


def _has_kana(text: str) -> bool:
    return any(0x30A1 <= ord(c) <= 0x30FF for c in text)


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
    """Candidates prepared for repeated searches.

    Build it once (:meth:`build`) and share it: searching does not change it. :meth:`add` after
    a search makes the next search sort the posting lists again (about a second per 100,000
    names), so add many records through :meth:`build` or before the first search.
    """

    candidates: list[Candidate] = field(default_factory=list)
    _names: list[tuple[int, str, NormalisedName]] = field(default_factory=list, repr=False)
    _compacts: list[str] = field(default_factory=list, repr=False)
    _cores: list[str] = field(default_factory=list, repr=False)
    _by_compact: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _by_sorted: dict[tuple[str, ...], list[int]] = field(default_factory=dict, repr=False)
    _by_initials: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _by_gram: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _by_licence: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)
    _by_digits: dict[str, list[tuple[int, str]]] = field(default_factory=dict, repr=False)
    _words: set[str] = field(default_factory=set, repr=False)
    _word_list: list[str] = field(default_factory=list, repr=False)
    _ready: bool = field(default=True, repr=False)

    @classmethod
    def build(cls, candidates: Iterable[Candidate]) -> Index:
        """Prepare an index over ``candidates``."""
        index = cls()
        for candidate in candidates:
            index.add(candidate)
        index._prepare()
        return index

    def __len__(self) -> int:
        return len(self.candidates)

    def add(self, candidate: Candidate) -> None:
        """Add one candidate."""
        position = len(self.candidates)
        self.candidates.append(candidate)
        raws = [*candidate.names, *([candidate.reading] if candidate.reading else [])]
        for raw in raws:
            name = normalise_name(raw)
            if not name.tokens:
                continue
            self._add_name(position, raw, name)
            if _has_kana(name.compact):
                phonetic = _phonetic(name)
                if phonetic.compact != name.compact:
                    self._add_name(position, raw, phonetic)
        for number in candidate.licences:
            key = licence_key(number)
            if key:
                self._by_licence.setdefault(key, []).append((position, number))
            digits = licence_digits(number)
            if digits:
                self._by_digits.setdefault(digits, []).append((position, number))
        self._ready = False

    def _add_name(self, position: int, raw: str, name: NormalisedName) -> None:
        ref = len(self._names)
        self._names.append((position, raw, name))
        compact = name.compact
        self._compacts.append(compact)
        self._cores.append(name.core)
        self._by_compact.setdefault(compact, []).append(ref)
        if compact.isascii():
            self._words.update(name.tokens)
        self._by_sorted.setdefault(tuple(sorted(name.tokens)), []).append(ref)
        for table, keys in (
            (self._by_initials, _initials_keys(name)),
            (self._by_gram, _grams(name)),
        ):
            for key in keys:
                refs = table.get(key)
                if refs is None:
                    table[key] = [ref]
                else:
                    refs.append(ref)

    def _prepare(self) -> None:
        """Order every posting list shortest name first: among names sharing as many n-grams
        with a query, the shorter ones are the closer, and they are kept first."""
        if self._ready:
            return
        length = [len(c) for c in self._compacts]
        for postings in self._by_gram.values():
            postings.sort(key=length.__getitem__)
        for table in (self._by_compact, self._by_sorted, self._by_initials):
            for refs in table.values():
                refs.sort(key=length.__getitem__)
        self._word_list = sorted(self._words)
        self._ready = True

    def _corrected_pairs(self, query: NormalisedName) -> set[str]:
        """Word pairs with a mistyped word replaced by the indexed words one edit away from it:
        a typo breaks the rarest n-grams of a name (its word pairs), this restores them."""
        tokens = query.tokens
        if len(tokens) < 2 or not query.compact.isascii():
            return set()
        pairs: set[str] = set()
        for i, token in enumerate(tokens):
            if token in self._words or len(token) < 3:
                continue
            found = process.extract(
                token, self._word_list, scorer=Levenshtein.distance, score_cutoff=1, limit=3
            )
            for word, _, _ in found:
                if i > 0:
                    pairs.add(f"{tokens[i - 1]} {word}")
                if i + 1 < len(tokens):
                    pairs.add(f"{word} {tokens[i + 1]}")
        return pairs

    def _shortlist(self, query: NormalisedName) -> set[int]:
        refs: set[int] = set()
        refs.update(self._by_compact.get(query.compact, ())[:KEY_CAP])
        refs.update(self._by_sorted.get(tuple(sorted(query.tokens)), ())[:KEY_CAP])
        if len(query.tokens) == 1:
            refs.update(self._by_initials.get(query.compact, ())[:KEY_CAP])
        grams = _grams(query) | self._corrected_pairs(query)
        postings = sorted((p for g in grams if (p := self._by_gram.get(g))), key=len)
        counts: Counter[int] = Counter()
        read = 0
        for rank_, posting in enumerate(postings):
            if rank_ >= MIN_GRAMS and read + len(posting) > GRAM_BUDGET:
                break
            counts.update(posting)
            read += len(posting)
        if not counts:
            return refs
        if len(counts) > PRESELECT:
            # A stable sort keeps, among equal counts, the order of the rarest posting list
            # (shortest names first).
            top = sorted(counts.items(), key=itemgetter(1), reverse=True)[:PRESELECT]
            pre = [ref for ref, _ in top]
        else:
            pre = list(counts)
        compacts = [self._compacts[ref] for ref in pre]
        cores = [self._cores[ref] for ref in pre]
        share = SHORTLIST // 3
        for text, choices, scorer in (
            (query.compact, compacts, fuzz.ratio),
            (query.compact, compacts, fuzz.partial_ratio),
            (query.core, cores, fuzz.token_set_ratio),
        ):
            found = process.extract(text, choices, scorer=scorer, limit=share, processor=None)
            refs.update(pre[i] for _, _, i in found)
        return refs

    def _score_into(
        self, best: dict[int, Match], query: NormalisedName, min_score: float, factor: float
    ) -> None:
        for ref in self._shortlist(query):
            position, raw, name = self._names[ref]
            score, reason = score_name(query, name)
            score *= factor
            if score >= min_score:
                _offer(best, self.candidates, position, score, reason, raw)

    def search(self, query: str, limit: int = 10, min_score: float = 0.5) -> list[Match]:
        """Rank candidates for ``query``; best first, ties broken by candidate id."""
        self._prepare()
        query = query[:MAX_QUERY]
        best: dict[int, Match] = {}
        if any(c.isdigit() for c in query):
            for position, number in self._by_licence.get(licence_key(query), ()):
                _offer(best, self.candidates, position, 1.0, EXACT_LICENCE, number)
        if _looks_like_licence(query):
            for position, number in self._by_digits.get(licence_digits(query), ()):
                _offer(best, self.candidates, position, 0.96, LICENCE_DIGITS, number)
        normalised = normalise_name(query)
        if normalised.tokens:
            self._score_into(best, normalised, min_score, 1.0)
        kana = romaji_query(query)
        if kana is not None:
            as_kana = _phonetic(normalise_name(kana))
            if as_kana.tokens:
                self._score_into(best, as_kana, min_score, ROMAJI_FACTOR)
        ranked = sorted(best.items(), key=lambda item: (-item[1].score, item[1].id, item[0]))
        return [match for _, match in ranked[:limit]]


def _offer(
    best: dict[int, Match],
    candidates: list[Candidate],
    position: int,
    score: float,
    reason: str,
    matched: str,
) -> None:
    current = best.get(position)
    if current is None or score > current.score:
        best[position] = Match(candidates[position].id, round(score, 4), reason, matched)


def rank(
    query: str, candidates: Sequence[Candidate], limit: int = 10, min_score: float = 0.5
) -> list[Match]:
    """One-off search: build an :class:`Index` over ``candidates`` and search it."""
    return Index.build(candidates).search(query, limit=limit, min_score=min_score)
