"""Legal references in words, for letters: "Law 69/2020/QH14, Art. 23(4)(a)" becomes
"điểm a khoản 4 Điều 23 Luật Người lao động Việt Nam …" in Vietnamese and
"…法律第23条第4項a号" in Japanese.

The law parameters cite their sources in English (``instrument``, ``provision``). A letter in
Vietnamese or Japanese must not: this module writes the instrument's name and the article in the
letter's language. Notes in brackets after a provision ("(no other Japan rows)") are for
advisers and are left out. A part it cannot read is left out of Vietnamese and Japanese text
rather than printed in English; ``tests/checks/test_citations.py`` checks every reference of the
fee rules is read in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

LANGS = ("vi", "ja", "en")

#: a Vietnamese document number: 69/2020/QH14, 112/2021/NĐ-CP, 02/2024/TT-BLĐTBXH
VN_NUMBER = r"\d+/\d{4}/[0-9A-Za-zĐđ-]+"

#: Vietnamese legal documents by kind: (vi, ja, en)
VN_KINDS = {
    "Law": ("Luật số {n}", "法律第{n}号", "Law No. {n}"),
    "Decree": ("Nghị định số {n}", "政令第{n}号", "Decree No. {n}"),
    "Circular": ("Thông tư số {n}", "通達第{n}号", "Circular No. {n}"),
    "Decision": ("Quyết định số {n}", "決定第{n}号", "Decision No. {n}"),
}

#: Vietnamese documents known by name (the name as the law writes it)
VN_NAMED = {
    "69/2020/QH14": (
        "Luật Người lao động Việt Nam đi làm việc ở nước ngoài theo hợp đồng số 69/2020/QH14",
        "契約に基づき海外で就労するベトナム人労働者に関する法律（第69/2020/QH14号）",
        "Law No. 69/2020/QH14 on Vietnamese Guest Workers",
    ),
}

TITP_ACT_JA = "外国人の技能実習の適正な実施及び技能実習生の保護に関する法律"

#: Japanese instruments, by the English title the parameters use: (vi, ja, en)
JP_NAMED: dict[str, tuple[str, str, str]] = {
    "Act on Proper Technical Intern Training and Protection of Technical Intern Trainees "
    "(Act No. 89 of 2016)": (
        "Luật về thực hiện đúng đắn thực tập kỹ năng của người nước ngoài và bảo vệ thực tập "
        "sinh kỹ năng của Nhật Bản (Luật số 89 năm 2016)",
        f"{TITP_ACT_JA}（平成28年法律第89号）",
        "Act on Proper Technical Intern Training and Protection of Technical Intern Trainees "
        "(Act No. 89 of 2016)",
    ),
    "Act on Proper Implementation of Employment for Skill Development and Protection of Skill "
    "Development Employees (Act No. 89 of 2016 as amended by Act No. 60 of 2024)": (
        "Luật về thực hiện đúng đắn chế độ lao động phát triển kỹ năng và bảo vệ lao động phát "
        "triển kỹ năng của Nhật Bản (Luật số 89 năm 2016, sửa đổi bởi Luật số 60 năm 2024)",
        "外国人の育成就労の適正な実施及び育成就労外国人の保護に関する法律"
        "（平成28年法律第89号、令和6年法律第60号による改正後）",
        "Act on Proper Implementation of Employment for Skill Development and Protection of "
        "Skill Development Employees (Act No. 89 of 2016 as amended by Act No. 60 of 2024)",
    ),
    "Ordinance for Enforcement of the Act on Proper Technical Intern Training "
    "(MOJ/MHLW Ordinance No. 3 of 2016)": (
        "Quy tắc thi hành Luật thực tập kỹ năng của Nhật Bản (Quy tắc số 3 năm 2016 của Bộ Tư "
        "pháp và Bộ Y tế, Lao động và Phúc lợi)",
        f"{TITP_ACT_JA}施行規則（平成28年法務省・厚生労働省令第3号）",
        "Ordinance for Enforcement of the Act on Proper Technical Intern Training "
        "(MOJ/MHLW Ordinance No. 3 of 2016)",
    ),
    "ILO General Principles and Operational Guidelines for Fair Recruitment and Definition of "
    "Recruitment Fees and Related Costs (2019)": (
        "Nguyên tắc chung và Hướng dẫn thực hiện về tuyển dụng công bằng, và Định nghĩa phí "
        "tuyển dụng và chi phí liên quan của ILO (2019)",
        "ILO「公正な採用のための一般原則及び運用指針並びに採用手数料及び関連費用の定義」（2019年）",
        "ILO General Principles and Operational Guidelines for Fair Recruitment and Definition "
        "of Recruitment Fees and Related Costs (2019)",
    ),
}

ESD_ORDINANCE_JA = "外国人の育成就労の適正な実施及び育成就労外国人の保護に関する法律施行規則"

#: instruments cited by the start of their title (the rest is a note for advisers): (vi, ja, en)
JP_PREFIXED: dict[str, tuple[str, str, str]] = {
    ESD_ORDINANCE_JA: (
        "Quy tắc thi hành Luật lao động phát triển kỹ năng của Nhật Bản (Quy tắc số 4 năm 2025 "
        "của Bộ Tư pháp và Bộ Y tế, Lao động và Phúc lợi)",
        f"{ESD_ORDINANCE_JA}（令和7年法務省・厚生労働省令第4号）",
        "Ordinance for Enforcement of the Act on Employment for Skill Development "
        "(MOJ/MHLW Ordinance No. 4 of 2025)",
    ),
    "ISA standards for Specified Skilled Worker acceptance": (
        "Tiêu chuẩn tiếp nhận lao động kỹ năng đặc định của Cục Quản lý Xuất nhập cảnh và Lưu "
        "trú Nhật Bản",
        "出入国在留管理庁「特定技能外国人の受入れに関する基準」",
        "ISA standards for Specified Skilled Worker acceptance",
    ),
}

#: provisions written in words rather than numbered: (vi, ja, en)
PROVISIONS_NAMED: dict[str, tuple[str, str, str]] = {
    "General Principle 7": ("Nguyên tắc chung số 7", "一般原則7", "General Principle 7"),
    "Definition - illegitimate costs": (
        "định nghĩa các chi phí bất hợp lý",
        "不当な費用の定義",
        "Definition - illegitimate costs",
    ),
}

ITEMS = re.compile(r"^Items?\s+(?P<first>\d+)(?:-(?P<last>\d+))?$")
ARTICLE = re.compile(
    r"^Arts?\.\s*(?P<art>\d+)(?P<subs>(?:\([0-9a-z]+\))*)(?:-\((?P<to>[0-9a-z]+)\))?"
    r"(?:\s+item\s+(?P<item>\d+))?$"
)
ANNEX = re.compile(r"^Annex\s+(?P<annex>[IVXLC]+)$")
#: a note in brackets after a provision, separated by a space: "(no other Japan rows)"
NOTE = re.compile(r"\s+\((?:[^()]|\([^()]*\))*\)?")


@dataclass(frozen=True)
class Instrument:
    """An instrument's name in one language; ``known`` is false when it could not be read."""

    name: str
    known: bool


def _index(lang: str) -> int:
    return LANGS.index(lang) if lang in LANGS else 2


def instrument_name(instrument: str, lang: str) -> Instrument:
    """The instrument's name in ``lang``; ``known`` is false when it could not be read (the
    English text is then returned)."""
    text = instrument.strip()
    i = _index(lang)
    if text in JP_NAMED:
        return Instrument(JP_NAMED[text][i], known=True)
    for prefix, names in JP_PREFIXED.items():
        if text.startswith(prefix):
            return Instrument(names[i], known=True)
    main, _sep, amended = text.partition(" amending ")
    parts = []
    for part in (main, amended):
        if not part:
            continue
        match = re.fullmatch(rf"(?P<kind>{'|'.join(VN_KINDS)})\s+(?P<n>{VN_NUMBER})", part)
        if match is None:
            return Instrument(text, known=False)
        number = match["n"]
        named = VN_NAMED.get(number) if match["kind"] == "Law" else None
        parts.append(named[i] if named else VN_KINDS[match["kind"]][i].format(n=number))
    if len(parts) == 2:
        joined = {
            "vi": f"{parts[0]} sửa đổi, bổ sung {parts[1]}",
            "ja": f"{parts[1]}を改正する{parts[0]}",
        }.get(lang, f"{parts[0]} amending {parts[1]}")
        return Instrument(joined, known=True)
    return Instrument(parts[0], known=True)


def _article(match: re.Match[str], lang: str) -> str:
    art = match["art"]
    subs = re.findall(r"\(([0-9a-z]+)\)", match["subs"] or "")
    clause = next((s for s in subs if s.isdigit()), None)
    point = next((s for s in subs if not s.isdigit()), None)
    to = match["to"]
    item = match["item"]
    if lang == "vi":
        words = []
        if point:
            words.append(f"điểm {point}" + (f" đến điểm {to}" if to else ""))
        if item:
            words.append(f"mục {item}")
        if clause:
            words.append(f"khoản {clause}")
        words.append(f"Điều {art}")
        return " ".join(words)
    if lang == "ja":
        text = f"第{art}条"
        if clause:
            text += f"第{clause}項"
        if point:
            text += f"{point}号" + (f"から{to}号まで" if to else "")
        if item:
            text += f"第{item}号"
        return text
    text = f"Article {art}" + "".join(f"({s})" for s in subs) + (f"-({to})" if to else "")
    return text + (f", item {item}" if item else "")


def _items(match: re.Match[str], lang: str) -> str:
    first, last = match["first"], match["last"]
    if lang == "vi":
        return f"mục {first}" + (f" đến mục {last}" if last else "")
    if lang == "ja":
        return f"項目{first}" + (f"～{last}" if last else "")
    return f"Items {first}-{last}" if last else f"Item {first}"


def _annex(annex: str, lang: str) -> str:
    return {"vi": f"Phụ lục {annex}", "ja": f"付録{annex}"}.get(lang, f"Annex {annex}")


def provision_words(provision: str, lang: str) -> tuple[str, bool]:
    """The provision in ``lang`` and whether every part of it was read."""
    text = NOTE.sub("", provision or "").strip()
    if not text:
        return "", True
    if text in PROVISIONS_NAMED:
        return PROVISIONS_NAMED[text][_index(lang)], True
    pieces = [p for p in re.split(r"\s*(?:,|;|\band\b)\s*", text) if p]
    out: list[str] = []
    complete = True
    for piece in pieces:
        article = ARTICLE.match(piece)
        annex = ANNEX.match(piece)
        items = ITEMS.match(piece)
        if article:
            out.append(_article(article, lang))
        elif annex:
            out.append(_annex(annex["annex"], lang))
        elif items:
            out.append(_items(items, lang))
        else:
            complete = False
            if lang == "en":
                out.append(piece)
    joiner = {"vi": " và ", "ja": "及び"}.get(lang, " and ")
    return joiner.join(out), complete


def basis_words(basis: dict[str, Any], lang: str) -> str:
    """One legal basis in words: "điểm a khoản 4 Điều 23 Luật …" (vi), "…法律第23条第4項a号"
    (ja), "Law No. 69/2020/QH14 …, Article 23(4)(a)" (en)."""
    instrument = instrument_name(str(basis.get("instrument") or ""), lang)
    provision, _complete = provision_words(str(basis.get("provision") or ""), lang)
    if not provision:
        return instrument.name
    if lang == "vi":
        return f"{provision} {instrument.name}"
    if lang == "ja":
        return f"{instrument.name}{provision}"
    return f"{instrument.name}, {provision}"


def reads_in_full(basis: dict[str, Any], lang: str) -> bool:
    """Whether the instrument and every part of the provision were put into words."""
    instrument = instrument_name(str(basis.get("instrument") or ""), lang)
    _text, complete = provision_words(str(basis.get("provision") or ""), lang)
    return instrument.known and complete
