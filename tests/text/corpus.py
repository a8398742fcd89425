"""A deterministic corpus of invented Vietnamese and Japanese agency names, built from the naming
patterns of the official lists (no real organisation), with the deformations a worker types.

Vietnamese: "Công ty Cổ phần <field> <brand>", "Công ty TNHH (MTV) ...", an English name
("<brand> <field> Joint Stock Company", "... Co., Ltd") and a licence "123/LĐTBXH-GP".
Japanese: supervising organisations ("<place><industry>事業協同組合", "協同組合<name>",
"一般社団法人<name>機構") with a permit "許<yy><pref><serial>", registered support organisations
("株式会社<name>") with a registration "<yy>登-<serial>"; kanji, katakana and hiragana names,
each with its reading in kana and in romaji.

With ``spread=True`` no two names are within one edit of each other after normalisation, so each
deformation has one right answer.
"""

from __future__ import annotations

import csv
import random
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from fairpassage.text.match import Candidate
from fairpassage.text.normalise import fold_kana, normalise_name, strip_diacritics

# Vietnamese: (legal form, English form, abbreviations a worker types)
VN_FORMS = [
    ("Công ty Cổ phần", "Joint Stock Company", ("CTCP", "JSC", "Công ty CP")),
    ("Công ty TNHH", "Co., Ltd", ("TNHH", "Co., Ltd", "Cty TNHH")),
    ("Công ty TNHH MTV", "One Member Co., Ltd", ("TNHH MTV", "Co., Ltd", "Cty TNHH")),
]
VN_FIELDS = [
    ("Đầu tư", "Investment"),
    ("Thương mại", "Trading"),
    ("Dịch vụ", "Services"),
    ("Phát triển", "Development"),
    ("Nhân lực", "Manpower"),
    ("Xuất khẩu lao động", "Labour Export"),
    ("Hợp tác quốc tế", "International Cooperation"),
    ("Cung ứng nhân lực", "Manpower Supply"),
    ("Đào tạo và Cung ứng nhân lực", "Training and Manpower Supply"),
    ("Thương mại và Dịch vụ", "Trading and Services"),
    ("Đầu tư và Phát triển", "Investment and Development"),
    ("Phát triển nguồn nhân lực", "Human Resources Development"),
    ("Dịch vụ việc làm", "Employment Services"),
    ("Giáo dục và Đào tạo", "Education and Training"),
    ("Tư vấn du học", "Study Abroad Consulting"),
]
VN_BRANDS = str.split(
    "Sao_Mai Thăng_Long Hà_Nội Việt_Nhật Sông_Hồng Đông_Á Ánh_Dương Bình_Minh Đại_Dương "
    "Phúc_Lộc Hưng_Thịnh Kim_Long Trường_Sơn Hoàng_Gia Cửu_Long Vạn_Xuân Tâm_Đức Hải_Phòng "
    "An_Phú Thành_Công Tiến_Đạt Sài_Gòn Hoa_Sen Lạc_Hồng Hồng_Hà Phú_Sĩ Minh_Phát Đức_Thịnh "
    "Nam_Việt Bắc_Hà Tây_Đô Kinh_Bắc Hạ_Long Trí_Việt Nhật_Tân Á_Châu Thái_Bình Quang_Trung "
    "Hòa_Bình Gia_Phát Tân_Tiến Vĩnh_Phúc Lam_Sơn Bảo_Ngọc Ngọc_Lan Phương_Đông Việt_Mỹ "
    "Hưng_Long Kim_Ngân Thiên_An Đông_Dương Phú_Thọ Nghệ_An Hà_Tĩnh Thanh_Hóa Nam_Định"
)
VN_SYLLABLES = str.split(
    "An Bình Minh Hưng Phát Thành Đạt Tiến Hải Sơn Long Việt Nhật Kim Ngọc Hoàng Gia Quang "
    "Trung Nam Bắc Đông Hồng Hà Lam Thái Tân Phú Mỹ Hòa Đức Tâm Tín Nghĩa Trí Vạn Xuân Mai "
    "Lan Sen Ánh Dương Phúc Lộc Thịnh Vượng Khang Huy Bảo Thiên Nhân Hiếu Tường"
)
VN_PLACES = [
    ("", ""),
    ("Việt Nam", "Vietnam"),
    ("Quốc tế", "International"),
    ("Toàn Cầu", "Global"),
    ("Miền Bắc", "North"),
    ("Châu Á", "Asia"),
]

# Japanese pieces: (written, reading in hiragana, romaji as typed: long vowels left out)
JA_PLACES = [
    tuple(w.split(":"))
    for w in str.split(
        "北海道:ほっかいどう:hokkaido 東北:とうほく:tohoku 関東:かんとう:kanto "
        "東京:とうきょう:tokyo 横浜:よこはま:yokohama 千葉:ちば:chiba 埼玉:さいたま:saitama "
        "群馬:ぐんま:gunma 栃木:とちぎ:tochigi 茨城:いばらき:ibaraki 新潟:にいがた:niigata "
        "長野:ながの:nagano 静岡:しずおか:shizuoka 岐阜:ぎふ:gifu 愛知:あいち:aichi "
        "名古屋:なごや:nagoya 中部:ちゅうぶ:chubu 東海:とうかい:tokai 北陸:ほくりく:hokuriku "
        "富山:とやま:toyama 石川:いしかわ:ishikawa 福井:ふくい:fukui 関西:かんさい:kansai "
        "大阪:おおさか:osaka 京都:きょうと:kyoto 神戸:こうべ:kobe 奈良:なら:nara "
        "岡山:おかやま:okayama 広島:ひろしま:hiroshima 山口:やまぐち:yamaguchi 四国:しこく:shikoku "
        "愛媛:えひめ:ehime 香川:かがわ:kagawa 九州:きゅうしゅう:kyushu 福岡:ふくおか:fukuoka "
        "熊本:くまもと:kumamoto 鹿児島:かごしま:kagoshima 沖縄:おきなわ:okinawa 宮城:みやぎ:miyagi "
        "仙台:せんだい:sendai 三河:みかわ:mikawa 湘南:しょうなん:shonan 播磨:はりま:harima "
        "筑後:ちくご:chikugo"
    )
]
JA_INDUSTRIES = [
    tuple(w.split(":"))
    for w in str.split(
        "建設:けんせつ:kensetsu 建築:けんちく:kenchiku 農業:のうぎょう:nogyo "
        "食品:しょくひん:shokuhin 製造:せいぞう:seizo 機械:きかい:kikai 金属:きんぞく:kinzoku "
        "縫製:ほうせい:hosei 介護:かいご:kaigo 技能:ぎのう:gino 産業:さんぎょう:sangyo "
        "物流:ぶつりゅう:butsuryu 電子:でんし:denshi 鉄工:てっこう:tekko 塗装:とそう:toso "
        "溶接:ようせつ:yosetsu 水産:すいさん:suisan 林業:りんぎょう:ringyo "
        "自動車:じどうしゃ:jidosha 印刷:いんさつ:insatsu 造船:ぞうせん:zosen 観光:かんこう:kanko "
        "外食:がいしょく:gaishoku 清掃:せいそう:seiso 畜産:ちくさん:chikusan "
        "漁業:ぎょぎょう:gyogyo "
        "木材:もくざい:mokuzai 商工:しょうこう:shoko 経済:けいざい:keizai"
    )
]
JA_MIDDLES = [
    tuple(w.split(":"))
    for w in str.split(
        "国際:こくさい:kokusai 交流:こうりゅう:koryu 振興:しんこう:shinko "
        "協力:きょうりょく:kyoryoku "
        "人材育成:じんざいいくせい:jinzaiikusei 技術:ぎじゅつ:gijutsu 総合:そうごう:sogo "
        "開発:かいはつ:kaihatsu"
    )
]
JA_KATAKANA = [
    tuple(w.split(":"))
    for w in str.split(
        "グローバル:ぐろーばる:gurobaru アジア:あじあ:ajia ブリッジ:ぶりっじ:burijji "
        "リンク:りんく:rinku キャリア:きゃりあ:kyaria サポート:さぽーと:sapoto "
        "パートナーズ:ぱーとなーず:patonazu ネクスト:ねくすと:nekusuto ワールド:わーるど:warudo "
        "ユニオン:ゆにおん:yunion スマイル:すまいる:sumairu ハーモニー:はーもにー:hamoni "
        "サンライズ:さんらいず:sanraizu ビジョン:びじょん:bijon ライフ:らいふ:raifu "
        "ヒューマン:ひゅーまん:hyuman トラスト:とらすと:torasuto ゲート:げーと:geto "
        "ブルースカイ:ぶるーすかい:burusukai コネクト:こねくと:konekuto"
    )
]
JA_HIRAGANA = [
    tuple(w.split(":"))
    for w in str.split(
        "さくら:さくら:sakura ひまわり:ひまわり:himawari みらい:みらい:mirai つばさ:つばさ:tsubasa "
        "あおぞら:あおぞら:aozora こころ:こころ:kokoro やまと:やまと:yamato ひかり:ひかり:hikari "
        "あさひ:あさひ:asahi みのり:みのり:minori すずらん:すずらん:suzuran "
        "かけはし:かけはし:kakehashi たんぽぽ:たんぽぽ:tanpopo わかば:わかば:wakaba "
        "のぞみ:のぞみ:nozomi はばたき:はばたき:habataki いろは:いろは:iroha めぐみ:めぐみ:megumi"
    )
]
JA_BODIES = [
    ("機構", "きこう", "kiko"),
    ("協会", "きょうかい", "kyokai"),
    ("センター", "せんたー", "senta"),
]
# (form, reading, romaji, written first, licence kind)
JA_FORMS = {
    "jigyo": ("事業協同組合", "じぎょうきょうどうくみあい", "jigyo kyodo kumiai", False, "permit"),
    "kyodo": ("協同組合", "きょうどうくみあい", "kyodo kumiai", True, "permit"),
    "kyodo_after": ("協同組合", "きょうどうくみあい", "kyodo kumiai", False, "permit"),
    "shadan": ("一般社団法人", "いっぱんしゃだんほうじん", "ippan shadan hojin", True, "permit"),
    "kabu": ("株式会社", "かぶしきがいしゃ", "kabushiki gaisha", True, "registration"),
    "kabu_after": ("株式会社", "かぶしきがいしゃ", "kabushiki gaisha", False, "registration"),
}

Piece = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Organisation:
    """One invented organisation and what is needed to deform its name."""

    id: str
    country: str
    form: str
    core: str
    form_first: bool
    licence: str
    english: str = ""
    english_core: str = ""
    reading: str = ""
    romaji: str = ""
    #: Vietnamese: (field, brand); Japanese: the written pieces of the core.
    parts: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        sep = " " if self.country == "VN" else ""
        return f"{self.form}{sep}{self.core}" if self.form_first else f"{self.core}{sep}{self.form}"

    @property
    def kind(self) -> str:
        """The organisation kind as in ``core`` (sending agency, supervising or support)."""
        if self.country == "VN":
            return "sending_agency"
        if self.licence.startswith("許"):
            return "supervising_organisation"
        return "registered_support_organisation"

    def candidate(self) -> Candidate:
        names = (self.name, self.english) if self.english else (self.name,)
        return Candidate(self.id, names, (self.licence,), self.reading)


def _key(text: str) -> str:
    return normalise_name(text).compact


class _Distinct:
    """Accept a core only if no accepted core is equal, or (``spread``) one edit away."""

    def __init__(self, spread: bool) -> None:
        self.spread = spread
        self.rejected = 0
        self.keys: set[str] = set()
        self.ordered: list[str] = []

    def accept(self, core: str) -> bool:
        key = _key(core)
        if not key or key in self.keys:
            self.rejected += 1
            if self.rejected > 50 * (len(self.keys) + 1000):
                raise ValueError("the naming patterns cannot make that many distinct names")
            return False
        if self.spread and process.extractOne(
            key, self.ordered, scorer=Levenshtein.distance, score_cutoff=1
        ):
            return False
        self.keys.add(key)
        self.ordered.append(key)
        return True


def _vietnamese(rng: random.Random, count: int, distinct: _Distinct) -> Iterator[Organisation]:
    numbers = rng.sample(range(1, max(1000, 3 * count)), count)
    made = 0
    while made < count:
        if rng.random() < 0.6:
            brand = rng.choice(VN_BRANDS).replace("_", " ")
        else:
            brand = " ".join(rng.sample(VN_SYLLABLES, 2))
        place, place_en = rng.choice(VN_PLACES) if rng.random() < 0.4 else ("", "")
        field, field_en = rng.choice(VN_FIELDS)
        brand_full = f"{brand} {place}".strip()
        core = f"{field} {brand_full}"
        if not distinct.accept(core):
            continue
        form, form_en, _ = rng.choice(VN_FORMS)
        number = numbers[made]
        suffix = "GP" if rng.random() < 0.7 else "GPHĐ"
        licence = f"{number:02d}/LĐTBXH-{suffix}" if number < 10 else f"{number}/LĐTBXH-{suffix}"
        english_core = " ".join(filter(None, [strip_diacritics(brand), place_en, field_en]))
        yield Organisation(
            id=f"VN{made + 1:06d}",
            country="VN",
            form=form,
            core=core,
            form_first=True,
            licence=licence,
            english=f"{english_core} {form_en}",
            english_core=english_core,
            parts=(field, brand_full),
        )
        made += 1


def _japanese_core(rng: random.Random, form_key: str) -> list[Piece]:
    roll = rng.random()
    if form_key == "jigyo":
        pieces = [rng.choice(JA_PLACES)]
        if roll < 0.4:
            pieces.append(rng.choice(JA_MIDDLES))
        pieces.append(rng.choice(JA_INDUSTRIES))
        return pieces
    if form_key == "shadan":
        if roll < 0.4:
            return [rng.choice(JA_PLACES), rng.choice(JA_MIDDLES), rng.choice(JA_BODIES)]
        if roll < 0.7:
            return [rng.choice(JA_HIRAGANA), rng.choice(JA_MIDDLES), rng.choice(JA_BODIES)]
        return [rng.choice(JA_PLACES), rng.choice(JA_INDUSTRIES), rng.choice(JA_BODIES)]
    if roll < 0.15:
        return rng.sample(JA_KATAKANA, 2)
    if roll < 0.3:
        return rng.sample(JA_KATAKANA, 3)
    if roll < 0.45:
        return [rng.choice(JA_HIRAGANA), rng.choice(JA_MIDDLES + JA_KATAKANA)]
    if roll < 0.55:
        return [rng.choice(JA_HIRAGANA), rng.choice(JA_PLACES), rng.choice(JA_MIDDLES)]
    if roll < 0.7:
        return [rng.choice(JA_PLACES), rng.choice(JA_MIDDLES), rng.choice(JA_KATAKANA)]
    if roll < 0.85:
        return [rng.choice(JA_PLACES), rng.choice(JA_KATAKANA), rng.choice(JA_INDUSTRIES)]
    return [rng.choice(JA_PLACES), rng.choice(JA_INDUSTRIES), rng.choice(JA_MIDDLES)]


def _japanese(rng: random.Random, count: int, distinct: _Distinct) -> Iterator[Organisation]:
    serials = rng.sample(range(1, 999_999), count)
    keys = list(JA_FORMS)
    made = 0
    while made < count:
        form_key = rng.choice(keys)
        pieces = _japanese_core(rng, form_key)
        core = "".join(p[0] for p in pieces)
        if not distinct.accept(core):
            continue
        form, form_reading, form_romaji, first, kind = JA_FORMS[form_key]
        core_reading = "".join(p[1] for p in pieces)
        core_romaji = " ".join(p[2] for p in pieces)
        year = rng.randint(17, 24)
        if kind == "permit":
            licence = f"許{year:02d}{rng.randint(1, 47):02d}{serials[made]:06d}"
        else:
            licence = f"{year + 2}登-{serials[made]:06d}"
        reading = f"{form_reading} {core_reading}" if first else f"{core_reading} {form_reading}"
        romaji = f"{form_romaji} {core_romaji}" if first else f"{core_romaji} {form_romaji}"
        yield Organisation(
            id=f"JP{made + 1:06d}",
            country="JP",
            form=form,
            core=core,
            form_first=first,
            licence=licence,
            reading=reading,
            romaji=romaji,
            parts=tuple(p[0] for p in pieces),
        )
        made += 1


def generate(
    vn: int = 600, jp: int = 600, seed: int = 5, spread: bool = True
) -> list[Organisation]:
    """``vn`` Vietnamese then ``jp`` Japanese organisations, the same for the same arguments."""
    rng = random.Random(seed)
    distinct = _Distinct(spread)
    return [*_vietnamese(rng, vn, distinct), *_japanese(rng, jp, distinct)]


# Half-width katakana for a full-width (or hiragana) text, the reverse of NFKC.
_HALF: dict[str, str] = {}
for _code in range(0xFF61, 0xFFA0):
    _half = chr(_code)
    _HALF.setdefault(unicodedata.normalize("NFKC", _half), _half)


def half_width(text: str) -> str:
    """Katakana (and hiragana) in half-width forms, Latin letters and digits in full width."""
    out = []
    for ch in fold_kana(text):
        if ch in _HALF:
            out.append(_HALF[ch])
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        if base in _HALF and marks in ("\u3099", "\u309a"):
            out.append(_HALF[base] + ("ﾞ" if marks == "\u3099" else "ﾟ"))
        elif "!" <= ch <= "~":
            out.append(chr(ord(ch) + 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


CSV_HEADER = [
    "name",
    "country",
    "kind",
    "licence_number",
    "licence_status",
    "licence_issued_on",
    "licence_expires_on",
    "address",
    "phone",
    "website",
]


def write_csv(path: Path, organisations: Iterable[Organisation]) -> int:
    """Write ``organisations`` in the generic import format (all licences active, issued on a
    date derived from the id, valid five years; no address, phone or website). Returns rows."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for org in organisations:
            seed = zlib.crc32(org.id.encode())
            issued = date(2017 + seed % 7, 1 + seed % 12, 1 + seed % 28)
            expires = issued.replace(year=issued.year + 5)
            dates = [issued.isoformat(), expires.isoformat()]
            writer.writerow(
                [org.name, org.country, org.kind, org.licence, "active", *dates, "", "", ""]
            )
            rows += 1
    return rows
