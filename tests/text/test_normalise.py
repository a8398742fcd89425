"""Normalisation of names and licence numbers."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fairpassage.text.normalise import (
    fold,
    fold_kana,
    licence_digits,
    licence_key,
    normalise_name,
    strip_diacritics,
)

ALPHABET = st.characters(
    codec="utf-8",
    categories=["L", "N", "P", "Zs", "Mn", "S"],
)
PIECES = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợứừửữự .,-()/&")
    + list("さくらサクラｻｸﾗ国際事業協同組合株式会社有限㈱ー・（）　ＡＢＣ１２３")
    + ["Công ty ", "cổ phần ", "TNHH ", "MTV ", "Co., Ltd ", "JSC ", "(株)", "協同組合"]
    + ["joint ", "stock ", "company ", "cong ", "ty ", "co ", "ltd "]
)
NAMEY = st.lists(PIECES, max_size=20).map("".join)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Công ty  TNHH  Đông Á", "cong ty tnhh dong a"),
        ("ĐẠI DƯƠNG", "dai duong"),
        ("Nhân lực Việt Nhật", "nhan luc viet nhat"),
        ("Ｖｉｅｔ　Ｎｈａｔ", "viet nhat"),
        ("ｻｸﾗ", "サクラ"),
        ("さくら", "サクラ"),
        ("ガイド", "ガイド"),
        ("ﾊﾟｰﾄﾅｰｽﾞ", "パートナーズ"),
        ("ハノイ・ジャパン", "ハノイ ジャパン"),
        ("Co., Ltd.", "co ltd"),
        ("  a--b  ", "a b"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_strip_diacritics_keeps_japanese_voicing() -> None:
    assert strip_diacritics("Đức Tín ガギグ") == "Duc Tin ガギグ"
    assert fold_kana("ひまわり ヒマワリ") == "ヒマワリ ヒマワリ"


@pytest.mark.parametrize(
    ("raw", "core", "forms"),
    [
        ("Công ty Cổ phần Nhân lực Việt Nhật", "nhan luc viet nhat", {"jsc"}),
        ("CONG TY CO PHAN NHAN LUC VIET NHAT", "nhan luc viet nhat", {"jsc"}),
        ("CTCP Nhân lực Việt Nhật", "nhan luc viet nhat", {"jsc"}),
        ("Công ty CP Nhân lực Việt Nhật", "nhan luc viet nhat", {"jsc"}),
        ("Nhan Luc Viet Nhat JSC", "nhan luc viet nhat", {"jsc"}),
        ("Nhan Luc Viet Nhat J.S.C.", "nhan luc viet nhat", {"jsc"}),
        ("Viet Nhat Joint Stock Company", "viet nhat", {"jsc"}),
        ("Công ty TNHH Hoa Sen", "hoa sen", {"llc"}),
        ("Công ty trách nhiệm hữu hạn Hoa Sen", "hoa sen", {"llc"}),
        ("Hoa Sen TNHH", "hoa sen", {"llc"}),
        ("Hoa Sen Co., Ltd", "hoa sen", {"llc"}),
        ("Hoa Sen Company Limited", "hoa sen", {"llc"}),
        ("Công ty TNHH một thành viên Hoa Sen", "hoa sen", {"llc", "mtv"}),
        ("Công ty TNHH MTV Hoa Sen", "hoa sen", {"llc", "mtv"}),
        ("Tổng công ty Sông Hồng", "song hong", {"corp"}),
        ("Song Hong Corporation", "song hong", {"corp"}),
        ("Song Hong Corp.", "song hong", {"corp"}),
        ("Hợp tác xã Tân Tiến", "tan tien", {"htx"}),
        ("株式会社みらいサポート", "ミライサポート", {"株式会社"}),
        ("みらいサポート株式会社", "ミライサポート", {"株式会社"}),
        ("(株)みらいサポート", "ミライサポート", {"株式会社"}),
        ("（株）みらいサポート", "ミライサポート", {"株式会社"}),
        ("㈱みらいサポート", "ミライサポート", {"株式会社"}),
        ("㈲つばさ人材", "ツバサ人材", {"有限会社"}),
        ("有限会社つばさ人材", "ツバサ人材", {"有限会社"}),
        ("さくら国際事業協同組合", "サクラ国際", {"事業協同組合"}),
        ("さくら国際協同組合", "サクラ国際", {"協同組合"}),
        ("協同組合 さくら国際", "サクラ国際", {"協同組合"}),
        ("一般社団法人日越人材交流協会", "日越人材交流協会", {"一般社団法人"}),
        ("公益財団法人国際労働支援機構", "国際労働支援機構", {"公益財団法人"}),
        ("(公財)国際労働支援機構", "国際労働支援機構", {"公益財団法人"}),
        ("NPO法人 みどり", "ミドリ", {"特定非営利活動法人"}),
    ],
)
def test_legal_forms(raw: str, core: str, forms: set[str]) -> None:
    name = normalise_name(raw)
    assert name.core == core
    assert name.legal_forms == forms


def test_initials() -> None:
    name = normalise_name("Công ty TNHH Việt Nhật Joint")
    assert name.initials == "vnj"
    assert name.raw_initials == "cttvnj"
    assert normalise_name("Viet Nhat Joint Stock Company").raw_initials == "vnjsc"


def test_only_legal_form_leaves_no_tokens() -> None:
    assert normalise_name("Công ty TNHH").tokens == ()
    assert normalise_name("株式会社").tokens == ()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("123/LĐTBXH-GP", "123 LDTBXH GP"),
        ("123/LĐTBXH-GP", "0123/ldtbxh-gp"),
        ("123/LĐTBXH-GP", "123LDTBXHGP"),
        ("許1234567890", "許 1234567890"),
        ("許1234567890", "許１２３４５６７８９０"),
        ("19登-000105", "１９登－０００１０５"),
    ],
)
def test_licence_key_equal(a: str, b: str) -> None:
    assert licence_key(a) == licence_key(b)


def test_licence_key_distinguishes() -> None:
    assert licence_key("123/LĐTBXH-GP") != licence_key("132/LĐTBXH-GP")
    assert licence_key("123/LĐTBXH-GP") == "123ldtbxhgp"
    assert licence_digits("19登-000105") == "19-105"
    assert licence_key("000") == "0"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30) | NAMEY)
def test_fold_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@settings(max_examples=500, deadline=None)
@given(NAMEY)
@example("joint stock cty")
@example("Cong ty co ltd co phan")
def test_normalise_name_idempotent(text: str) -> None:
    name = normalise_name(text)
    again = normalise_name(name.core)
    assert again.tokens == name.tokens
    assert again.legal_forms == frozenset()
    from_text = normalise_name(name.text)
    assert (from_text.tokens, from_text.legal_forms) == (name.tokens, name.legal_forms)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30) | NAMEY)
def test_licence_key_idempotent(text: str) -> None:
    key = licence_key(text)
    assert licence_key(key) == key
