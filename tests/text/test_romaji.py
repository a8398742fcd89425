"""Romaji to kana, and searching Japanese names (and kana readings) from romaji."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairpassage.text.match import Candidate, Index
from fairpassage.text.normalise import normalise_name
from fairpassage.text.romaji import phonetic_kana, romaji_query, romaji_to_hiragana


@pytest.mark.parametrize(
    ("romaji", "kana"),
    [
        ("sakura", "さくら"),
        ("Himawari", "ひまわり"),
        ("tsubasa", "つばさ"),
        ("shinjuku", "しんじゅく"),
        ("sinzyuku", "しんじゅく"),  # kunrei
        ("chiba", "ちば"),
        ("tiba", "ちば"),  # kunrei
        ("fukuoka", "ふくおか"),
        ("hukuoka", "ふくおか"),  # kunrei
        ("kyoto", "きょと"),
        ("kyouto", "きょうと"),
        ("hokkaido", "ほっかいど"),
        ("matcha", "まっちゃ"),
        ("shimbun", "しんぶん"),
        ("kanna", "かんな"),
        ("konnichiwa", "こんにちわ"),
        ("jinzai", "じんざい"),
        ("nyuukoku", "にゅうこく"),
        ("Kyōdō", "きょど"),
        ("senta 21", "せんた 21"),
    ],
)
def test_romaji_to_hiragana(romaji: str, kana: str) -> None:
    assert romaji_to_hiragana(romaji) == kana


@pytest.mark.parametrize(
    "text",
    ["Công ty TNHH Sao Mai", "nhan luc", "Viet Nhat", "xyz", "", "123", "ｻｸﾗ", "さくら"],
)
def test_not_romaji(text: str) -> None:
    assert romaji_to_hiragana(text) is None


@pytest.mark.parametrize(
    ("query", "core", "forms"),
    [
        ("kyodo kumiai sakura", "サクラ", {"協同組合"}),
        ("sakura kyoudou kumiai", "サクラ", {"協同組合"}),
        ("sakura kyodokumiai", "サクラ", {"協同組合"}),
        ("tokai kensetsu jigyo kyodo kumiai", "トカイ ケンセツ", {"事業協同組合"}),
        ("kabushiki gaisha himawari", "ヒマワリ", {"株式会社"}),
        ("Himawari K.K.", "ヒマワリ", {"株式会社"}),
        ("ippan shadan hojin nichietsu kyokai", "ニチエツ キョカイ", {"一般社団法人"}),
    ],
)
def test_romaji_query_legal_forms(query: str, core: str, forms: set[str]) -> None:
    rewritten = romaji_query(query)
    assert rewritten is not None
    name = normalise_name(rewritten)
    assert " ".join(phonetic_kana(t) for t in name.tokens) == core
    assert name.legal_forms == forms


def test_phonetic_kana_folds_what_romaji_loses() -> None:
    assert phonetic_kana("トウキョウ") == phonetic_kana("とーきょー") == phonetic_kana("トキョ")
    assert phonetic_kana("おおさか") == "オサカ"
    assert phonetic_kana("きゅうしゅう") == "キュシュ"
    assert phonetic_kana("ヂヅヲ") == "ジズオ"
    assert phonetic_kana("セイ") == "セイ"  # "ei" is written in romaji
    assert phonetic_kana("東海") == "東海"


def test_kana_legal_forms_in_readings() -> None:
    name = normalise_name("きょうどうくみあい さくら")
    assert (name.core, name.legal_forms) == ("サクラ", frozenset({"協同組合"}))
    name = normalise_name("トウカイケンセツ ジギョウキョウドウクミアイ")
    assert (name.core, name.legal_forms) == ("トウカイケンセツ", frozenset({"事業協同組合"}))
    assert normalise_name("カブシキガイシャ ミライ").legal_forms == {"株式会社"}


INDEX = Index.build(
    [
        Candidate("JP1", ("協同組合さくら",), ("許1712000123",)),
        Candidate(
            "JP2", ("サクラ国際事業協同組合",), reading="さくらこくさいじぎょうきょうどうくみあい"
        ),
        Candidate(
            "JP3", ("東海建設事業協同組合",), reading="とうかいけんせつ じぎょうきょうどうくみあい"
        ),
        Candidate(
            "JP4",
            ("株式会社東京人材サービス",),
            reading="かぶしきがいしゃ とうきょうじんざいさーびす",
        ),
        Candidate("JP5", ("東海技能協同組合",)),  # no reading: romaji cannot reach it
        Candidate("VN1", ("Công ty TNHH Sakura Việt Nam",)),
        Candidate("VN2", ("Công ty Cổ phần Sao Mai",)),
        Candidate("VN3", ("Công ty TNHH Sakura",)),
    ]
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kyodo kumiai sakura", "JP1"),
        ("sakura kyoudou kumiai", "JP1"),
        ("Sakura Kokusai", "JP2"),
        ("sakura kokusai jigyo kyodo kumiai", "JP2"),
        ("tokai kensetsu", "JP3"),
        ("Toukai Kensetsu Jigyou Kyoudou Kumiai", "JP3"),
        ("tokai kensetu", "JP3"),  # kunrei
        ("tokyo jinzai sabisu", "JP4"),
        ("Sakura Viet Nam", "VN1"),
        ("sao mai", "VN2"),
    ],
)
def test_search_from_romaji(query: str, expected: str) -> None:
    assert INDEX.search(query)[0].id == expected


def test_kanji_without_reading_is_not_found_from_romaji() -> None:
    assert all(m.id != "JP5" for m in INDEX.search("tokai gino kyodo kumiai"))


def test_latin_name_beats_the_same_name_in_kana() -> None:
    results = INDEX.search("sakura")
    assert [m.id for m in results[:2]] == ["VN3", "JP1"]
    assert results[0].score > results[1].score


def test_reading_is_optional_and_matched_text_names_it() -> None:
    assert Candidate("x", ("a",)).reading == ""
    top = INDEX.search("tokai kensetsu")[0]
    assert top.matched == "とうかいけんせつ じぎょうきょうどうくみあい"


ROMAJI_WORDS = st.lists(
    st.sampled_from(["sa", "ku", "ra", "kyo", "do", "n", "tsu", "shi", "ji", "ppa", "u", "o"]),
    min_size=1,
    max_size=6,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(ROMAJI_WORDS, min_size=1, max_size=4).map(" ".join))
def test_romaji_words_always_convert(text: str) -> None:
    kana = romaji_to_hiragana(text)
    assert kana is not None
    assert len(kana.split()) == len(text.split())
    assert all(0x3041 <= ord(c) <= 0x3096 or c == " " for c in kana)
