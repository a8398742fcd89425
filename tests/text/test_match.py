"""Scoring and ranking of agency names, on an invented labelled set."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairpassage.text.match import Candidate, Index, Match, edit_distance, rank, score_name
from fairpassage.text.normalise import normalise_name, strip_diacritics
from tests.text.helpers import build_index, load_candidates, load_queries

INDEX = build_index()
CANDIDATES = load_candidates()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VN_WORDS = str.split(
    "Nhân lực Việt Nhật Sông Hồng Đông Á Ánh Dương Sao Mai Bình Minh Đại Dương Thăng Long "
    "Phúc Lộc Hưng Thịnh Kim Long Trường Sơn Hoàng Gia Cửu Long Vạn Xuân Miền Trung Quốc tế "
    "Hợp tác Xuất khẩu Lao động Đào tạo Thương mại Dịch vụ Phát triển Tâm Đức Tín Hải Phòng"
)
JA_WORDS = [
    "さくら",
    "サクラ",
    "富士",
    "アジア",
    "交流",
    "技能",
    "実習",
    "国際",
    "みらい",
    "グローバル",
    "九州",
    "北海道",
    "人材",
    "サポート",
]
FORMS = ["Công ty Cổ phần", "CTCP", "Công ty TNHH", "JSC", "Co., Ltd", "株式会社", "協同組合", ""]


def test_labelled_queries_top1_accuracy() -> None:
    queries = load_queries()
    assert len(queries) >= 80
    misses = []
    for row in queries:
        results = INDEX.search(row["query"], limit=3)
        if not results or results[0].id != row["expected"]:
            misses.append((row["query"], row["expected"], results))
    accuracy = 1 - len(misses) / len(queries)
    print(f"top-1 accuracy {accuracy:.3f} on {len(queries)} labelled queries")
    assert accuracy >= 0.95, misses


@pytest.mark.parametrize(
    ("query", "expected", "reason"),
    [
        ("101/LĐTBXH-GP", "VN001", "exact_licence"),
        ("101 ldtbxh gp", "VN001", "exact_licence"),
        ("GP 133", "VN033", "licence_digits"),
        ("許 1811000101", "JP001", "exact_licence"),
        ("cong ty co phan nhan luc viet nhat", "VN001", "exact_name"),
        ("sao mai quoc te nhan luc", "VN010", "word_order"),
        ("Hoa Sen Export", "VN003", "token_set"),
        ("VNJ", "VN002", "initials"),
        ("Nhan luc Viet Nhta", "VN001", "typo"),
        ("東海技能実習", "JP004", "partial"),
        ("ｻｸﾗ国際事業協同組合", "JP001", "exact_name"),
    ],
)
def test_reasons(query: str, expected: str, reason: str) -> None:
    top = INDEX.search(query)[0]
    assert (top.id, top.reason) == (expected, reason)
    assert 0.0 <= top.score <= 1.0


def test_legal_form_breaks_ties() -> None:
    assert [m.id for m in INDEX.search("An Phat JSC")][:2] == ["VN027", "VN028"]
    assert [m.id for m in INDEX.search("Công ty TNHH An Phát")][:2] == ["VN028", "VN027"]
    assert INDEX.search("さくら国際協同組合")[0].id == "JP002"
    assert INDEX.search("さくら国際事業協同組合")[0].id == "JP001"


def test_equal_scores_are_ordered_by_id() -> None:
    candidates = [Candidate("b", ("Công ty TNHH An Phát",)), Candidate("a", ("An Phat JSC",))]
    results = rank("An Phat", candidates)
    assert [m.id for m in results] == ["a", "b"]
    assert results[0].score == results[1].score == 1.0
    assert [m.id for m in rank("An Phat", candidates[::-1])] == ["a", "b"]


def test_empty_and_form_only_queries() -> None:
    assert INDEX.search("") == []
    assert INDEX.search("Công ty TNHH") == []
    assert INDEX.search("zzzzqqqq") == []


def test_scores_bounded_and_sorted() -> None:
    results = INDEX.search("nhan luc", limit=50)
    scores = [m.score for m in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0.5 <= s <= 1.0 for s in scores)
    assert all(isinstance(m, Match) for m in results)


def test_score_name_direct() -> None:
    query = normalise_name("Viet Nhat JSC")
    assert score_name(query, normalise_name("Công ty cổ phần Việt Nhật")) == (1.0, "exact_name")
    score, reason = score_name(query, normalise_name("Công ty TNHH Việt Nhật"))
    assert score == pytest.approx(0.97)
    assert reason == "exact_name"
    assert score_name(normalise_name(""), normalise_name("x")) == (0.0, "")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("nhta", "nhat", 2), ("ab", "ba", 2)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


@FAST
@given(st.text(max_size=12), st.text(max_size=12), st.integers(0, 4))
def test_edit_distance_limit(a: str, b: str, limit: int) -> None:
    full = edit_distance(a, b)
    assert edit_distance(a, b, limit) == (full if full <= limit else limit + 1)


@st.composite
def vn_queries(draw: st.DrawFn) -> str:
    candidate = draw(st.sampled_from([c for c in CANDIDATES if c.id.startswith("VN")]))
    words = candidate.names[0].split()
    start = draw(st.integers(0, len(words) - 1))
    end = draw(st.integers(start + 1, len(words)))
    chosen = words[start:end]
    if draw(st.booleans()):
        chosen = draw(st.permutations(chosen))
    return " ".join(chosen)


@FAST
@given(vn_queries())
def test_diacritic_stripped_query_ranks_the_same(query: str) -> None:
    assert INDEX.search(query) == INDEX.search(strip_diacritics(query))


def _name(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(VN_WORDS + JA_WORDS), min_size=1, max_size=5))
    return f"{draw(st.sampled_from(FORMS))} {' '.join(words)}".strip()


@st.composite
def unrelated_candidates(draw: st.DrawFn) -> list[Candidate]:
    count = draw(st.integers(1, 40))
    return [Candidate(f"X{i:03d}", (_name(draw),)) for i in range(count)]


@FAST
@given(st.sampled_from(CANDIDATES), st.data(), unrelated_candidates())
def test_unrelated_candidates_never_change_exact_top(
    target: Candidate, data: st.DataObject, extra: list[Candidate]
) -> None:
    query = data.draw(st.sampled_from(target.names))
    key = normalise_name(query).compact
    unrelated = [c for c in extra if normalise_name(c.names[0]).compact != key]
    before = INDEX.search(query)[0]
    assert before.id == target.id
    bigger = Index.build([*CANDIDATES, *unrelated])
    mixed = list(bigger.candidates)
    random.Random(len(unrelated)).shuffle(mixed)
    assert bigger.search(query)[0].id == target.id
    assert Index.build(mixed).search(query)[0].id == target.id


def test_moved_words_keep_their_pairs() -> None:
    candidates = [
        Candidate("a", ("Công ty Cổ phần Nhân lực Sơn Lam",)),
        Candidate("b", ("Công ty TNHH MTV Nhân lực Lam Sơn",)),
    ]
    results = rank("Lam Sơn Nhân lực", candidates)
    assert [m.id for m in results] == ["b", "a"]
    assert {m.reason for m in results} == {"word_order"}


def test_each_name_word_is_matched_once() -> None:
    candidates = [
        Candidate("a", ("Công ty TNHH Nhân lực Đông Á",)),
        Candidate("b", ("Công ty TNHH Nhân lực Đông Dương",)),
    ]
    # a typo turned "Dương" into "Dơng", which folds to a second "dong"
    assert rank("Công ty TNHH Nhân lực Đông Dơng", candidates)[0].id == "b"


def test_add_after_search_is_searchable() -> None:
    index = Index.build([Candidate("a", ("Công ty TNHH Hoa Sen",))])
    assert index.search("hoa sen")[0].id == "a"
    index.add(Candidate("b", ("Công ty TNHH Hoa Mai",), ("77/LĐTBXH-GP",)))
    assert index.search("hoa mai")[0].id == "b"
    assert index.search("77 LDTBXH GP")[0].id == "b"
    assert len(index) == 2


def test_common_words_do_not_flood_the_shortlist() -> None:
    # 3,000 names sharing every word but one; the distinctive word still decides.
    words = ["Sao", "Mai", "Hoa", "Sen", "Kim", "Long", "Phúc", "Lộc"]
    filler = [
        Candidate(f"F{i:04d}", (f"Công ty TNHH Nhân lực {words[i % 8]} {words[i // 8 % 8]} {i}",))
        for i in range(3000)
    ]
    target = Candidate("T", ("Công ty TNHH Nhân lực Sao Mai Thăng Long",))
    index = Index.build([*filler, target])
    assert index.search("nhan luc sao mai thang long")[0].id == "T"
    assert index.search("Nhân lực Sao Mai Thăng Lng")[0].id == "T"


def test_long_queries_are_cut() -> None:
    top = INDEX.search("Nhan luc Viet Nhat JSC".ljust(300) + " zzz qqq" * 500)[0]
    assert (top.id, top.score, top.reason) == ("VN001", 1.0, "exact_name")


def test_a_typo_in_a_crowded_index_still_finds_the_name() -> None:
    # Thousands of names share every n-gram of the query but the mistyped word's; the word
    # pairs restored around the typo ("tri ha") single the right one out.
    count = len(VN_WORDS)
    filler = [
        Candidate(f"F{i:05d}", (f"Công ty TNHH Tư vấn du học {VN_WORDS[i % count]} Hà {i}",))
        for i in range(6000)
    ]
    target = Candidate("T", ("Công ty TNHH MTV Tư vấn du học Trí Hà",))
    decoy = Candidate("D", ("Công ty TNHH MTV Tư vấn du học Bảo Hà",))
    index = Index.build([*filler, decoy, target])
    assert index.search("Tư vấn du học Tro Hà")[0].id == "T"
    restored = index._corrected_pairs(normalise_name("Tư vấn du học Tro Hà"))
    assert {"hoc tri", "tri ha"} <= restored
    assert "hoc bao" not in restored
