"""What a worker types for an organisation of :mod:`tests.text.corpus`: one query per kind.

Every kind is deterministic (a random generator seeded by the organisation id). A typo is one
edit inside the distinctive part of the name, and is kept only if no other organisation's name
is as close to it, so the right answer stays well defined.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from fairpassage.text.normalise import normalise_name, strip_diacritics
from tests.text.corpus import JA_FORMS, VN_FORMS, Organisation, half_width

VN_KINDS = (
    "no_diacritics",
    "legal_form",
    "half_width",
    "typo",
    "licence",
    "word_order",
    "combined",
)
JP_KINDS = ("kana_script", "legal_form", "half_width", "typo", "licence", "romaji", "combined")

_ABBREVIATIONS = {form: abbreviations for form, _, abbreviations in VN_FORMS}
_JA_SHORT = {"株式会社": ("(株)", "㈱", "（株）"), "一般社団法人": ("(一社)",)}
_NEAR = {
    c: n
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for c, n in zip(row, row[1:] + row[-2], strict=True)
}


def _rng(org: Organisation, kind: str) -> random.Random:
    return random.Random(zlib.crc32(f"{org.id}:{kind}".encode()))


def _swap_kana(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0x3041 <= code <= 0x3096:
            out.append(chr(code + 0x60))
        elif 0x30A1 <= code <= 0x30F6:
            out.append(chr(code - 0x60))
        else:
            out.append(ch)
    return "".join(out)


def _edit(text: str, rng: random.Random) -> str:
    positions = [i for i, c in enumerate(text) if c.isalnum()]
    i = rng.choice(positions)
    ch = text[i]
    operation = rng.randrange(3)
    if operation == 0:
        return text[:i] + text[i + 1 :]
    if operation == 1:
        return text[:i] + ch + text[i:]
    base = strip_diacritics(ch).lower()
    if base in _NEAR:
        replacement = _NEAR[base]
    elif 0x3041 <= ord(ch) <= 0x30F6:
        replacement = chr(ord(ch) + (1 if ord(ch) % 2 else -1))  # voiced or plain neighbour
    else:
        return text[:i] + text[i + 1 :]
    return text[:i] + replacement + text[i + 1 :]


def typo(org: Organisation, keys: Sequence[str]) -> str:
    """One edit in the core, at distance one from the target and two or more from the rest."""
    rng = _rng(org, "typo")
    target = normalise_name(org.core).compact
    others = [k for k in keys if k != target]
    query = org.name
    for _attempt in range(30):
        core = _edit(org.core, rng)
        key = normalise_name(core).compact
        if Levenshtein.distance(key, target) != 1:
            continue
        if process.extractOne(key, others, scorer=Levenshtein.distance, score_cutoff=1):
            continue
        query = f"{org.form} {core}" if org.country == "VN" else org.name.replace(org.core, core)
        break
    return query


def _vn_licence(licence: str, rng: random.Random) -> str:
    number, rest = licence.split("/", 1)
    choices = [
        f"{number} {rest.replace('-', ' ')}",
        f"0{number}/{rest}",
        f"{number}{strip_diacritics(rest).replace('-', '')}",
        f"{number}/{rest.lower()}",
        f"{number} / {rest}",
    ]
    return rng.choice(choices)


def _jp_licence(licence: str, rng: random.Random) -> str:
    if licence.startswith("許"):
        digits = licence[1:]
        return rng.choice([f"許 {digits}", digits, half_width(licence), f"許-{digits}"])
    year, serial = licence.split("登-")
    return rng.choice(
        [
            f"{year}登{serial}",
            f"{year}登-{serial.lstrip('0')}",
            f"{year} 登 {serial}",
            f"{year}-{serial}",
        ]
    )


def _vietnamese(org: Organisation, keys: Sequence[str]) -> dict[str, str]:
    rng = _rng(org, "vn")
    plain = strip_diacritics(org.core)
    abbreviation = rng.choice(_ABBREVIATIONS[org.form])
    legal = rng.choice(
        [
            f"{org.core} {abbreviation}",
            f"{abbreviation} {plain}",
            f"{org.english_core} {rng.choice(['JSC', 'Co., Ltd', 'Company Limited'])}",
        ]
    )
    field, brand = org.parts
    typed = typo(org, keys)
    return {
        "no_diacritics": strip_diacritics(org.name),
        "legal_form": legal,
        "half_width": half_width(rng.choice([org.english, strip_diacritics(org.name).upper()])),
        "typo": typed,
        "licence": _vn_licence(org.licence, rng),
        "word_order": rng.choice([f"{brand} {field}", strip_diacritics(f"{brand} {field}")]),
        # no diacritics, the legal form abbreviated after the name, and the typo
        "combined": f"{strip_diacritics(typed.replace(org.form, '', 1)).strip()} {abbreviation}",
    }


def _japanese(org: Organisation, keys: Sequence[str]) -> dict[str, str]:
    rng = _rng(org, "jp")
    short = _JA_SHORT.get(org.form)
    choices = [org.core]
    if short:
        abbreviation = rng.choice(short)
        choices += [f"{abbreviation}{org.core}", f"{org.core}{abbreviation}"]
    if org.form == "事業協同組合":
        choices.append(f"{org.core}協同組合")
    if org.form == "協同組合":
        choices.append(f"{org.core}協同組合" if org.form_first else f"協同組合{org.core}")
    has_kana = any(0x3041 <= ord(c) <= 0x30FF for c in org.name)
    romaji = org.romaji
    if rng.random() < 0.3:  # the legal form left out
        romaji = " ".join(w for w in romaji.split() if w not in org_form_romaji(org))
    typed = typo(org, keys)
    return {
        "kana_script": _swap_kana(org.name) if has_kana else org.reading,
        "legal_form": rng.choice(choices),
        "half_width": half_width(org.name) if has_kana else half_width(org.licence),
        "typo": typed,
        "licence": _jp_licence(org.licence, rng),
        "romaji": romaji,
        # half width, the legal form left out, and the typo
        "combined": half_width(typed.replace(org.form, "", 1)),
    }


def org_form_romaji(org: Organisation) -> set[str]:
    return {w for form in JA_FORMS.values() if form[0] == org.form for w in form[2].split()}


def deformations(org: Organisation, keys: Sequence[str]) -> dict[str, str]:
    """Kind -> query for one organisation; ``keys`` are the normalised cores of the corpus."""
    return _vietnamese(org, keys) if org.country == "VN" else _japanese(org, keys)
