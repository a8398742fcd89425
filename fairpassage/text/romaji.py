"""Romaji (Hepburn, kunrei and nihon-shiki spellings) to kana, for workers typing Japanese names
in Latin letters.

:func:`romaji_to_hiragana` converts text word by word and gives ``None`` when a word is not
romaji, so a Vietnamese name is never mistaken for Japanese. :func:`phonetic_kana` folds the
spellings that romaji typing cannot tell apart (long vowels, ``ー``, ``ヂ``/``ジ``, ``ヅ``/``ズ``,
``ヲ``/``オ``); both the query and the indexed names go through it before they are compared.
:func:`romaji_query` puts it together: legal forms typed in romaji ("kyodo kumiai",
"kabushiki gaisha") become their kanji, the other words become kana.
"""

from __future__ import annotations

from fairpassage.text.normalise import JA_FORM_READINGS, fold, fold_kana

__all__ = ["phonetic_kana", "romaji_query", "romaji_to_hiragana"]

_VOWELS = "aiueo"
_VOWEL_SET = frozenset(_VOWELS)

_ROWS = {
    "": "あいうえお",
    "k": "かきくけこ",
    "s": "さしすせそ",
    "t": "たちつてと",
    "n": "なにぬねの",
    "h": "はひふへほ",
    "m": "まみむめも",
    "r": "らりるれろ",
    "l": "らりるれろ",
    "g": "がぎぐげご",
    "z": "ざじずぜぞ",
    "d": "だぢづでど",
    "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
}
#: Consonants combined with ya/yu/yo: the i-column kana they start from.
_YOON = {
    "k": "き",
    "g": "ぎ",
    "n": "に",
    "h": "ひ",
    "b": "び",
    "p": "ぴ",
    "m": "み",
    "r": "り",
    "l": "り",
    "s": "し",
    "sh": "し",
    "z": "じ",
    "j": "じ",
    "t": "ち",
    "c": "ち",
    "ch": "ち",
    "d": "ぢ",
}
_SMALL = {"a": "ゃ", "u": "ゅ", "o": "ょ", "e": "ぇ"}


def _syllables() -> dict[str, str]:
    table: dict[str, str] = {}
    for consonant, kana in _ROWS.items():
        for vowel, char in zip(_VOWELS, kana, strict=True):
            table[consonant + vowel] = char
    table.update({"ya": "や", "yu": "ゆ", "yo": "よ", "wa": "わ", "wo": "を", "we": "うぇ"})
    table.update({"wi": "うぃ", "shi": "し", "chi": "ち", "tsu": "つ", "fu": "ふ", "ji": "じ"})
    table.update({"fa": "ふぁ", "fi": "ふぃ", "fe": "ふぇ", "fo": "ふぉ", "ti": "ち", "tu": "つ"})
    table.update({"si": "し", "hu": "ふ", "zi": "じ", "di": "ぢ", "du": "づ", "va": "ゔぁ"})
    table.update({"vi": "ゔぃ", "vu": "ゔ", "ve": "ゔぇ", "vo": "ゔぉ", "je": "じぇ"})
    for start, kana in _YOON.items():
        for vowel, small in _SMALL.items():
            if start in {"sh", "ch", "j"}:
                table[start + vowel] = kana + small
            else:
                table[start + "y" + vowel] = kana + small
    table["shi"], table["chi"], table["ji"] = "し", "ち", "じ"
    return table


_TABLE = _syllables()
_LONGEST = max(len(k) for k in _TABLE)


def _word_to_hiragana(word: str) -> str | None:
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if ch.isdigit():
            out.append(ch)
            i += 1
            continue
        if ch == "n" and nxt not in _VOWEL_SET and nxt != "y":
            out.append("ん")
            # "nn" typed for ん (IME style) when no vowel follows it.
            after = word[i + 2] if i + 2 < len(word) else ""
            i += 2 if nxt == "n" and after not in _VOWEL_SET and after != "y" else 1
            continue
        if ch == "m" and nxt in {"b", "m", "p"}:
            out.append("ん")
            i += 1
            continue
        if (ch == nxt and ch not in _VOWEL_SET and ch.isalpha()) or (ch, nxt) == ("t", "c"):
            out.append("っ")
            i += 1
            continue
        for size in range(min(_LONGEST, len(word) - i), 0, -1):
            kana = _TABLE.get(word[i : i + size])
            if kana is not None:
                out.append(kana)
                i += size
                break
        else:
            return None
    return "".join(out)


def romaji_to_hiragana(text: str) -> str | None:
    """Hiragana for romaji text, words kept apart; ``None`` unless every word is romaji.

    >>> romaji_to_hiragana("Sakura Kyōdō Kumiai")
    'さくら きょど くみあい'
    >>> romaji_to_hiragana("shimbun tsuushin")
    'しんぶん つうしん'
    >>> romaji_to_hiragana("cong ty") is None
    True
    """
    words = fold(text).split()
    if not words or not any(c.isalpha() for c in "".join(words)):
        return None
    converted = []
    for word in words:
        if not word.isascii():
            return None
        kana = _word_to_hiragana(word)
        if kana is None:
            return None
        converted.append(kana)
    return " ".join(converted)


_O_ROW = frozenset("オコソトノホモヨロゴゾドボポョォ")
_U_ROW = frozenset("ウクスツヌフムユルグズヅブプュゥ")
_SAME_SOUND = {"ヂ": "ジ", "ヅ": "ズ", "ヲ": "オ"}


def phonetic_kana(text: str) -> str:
    """Fold what romaji typing loses: long vowels (``オウ``, ``オオ``, ``ウウ``, ``ー``) and
    kana that sound the same. Other characters are kept.

    >>> phonetic_kana("キョウドウ トーキョー ヅ")
    'キョド トキョ ズ'
    """
    out: list[str] = []
    for ch in fold_kana(text):
        if ch == "ー":
            continue
        prev = out[-1] if out else ""
        if (ch in "ウオ" and prev in _O_ROW) or (ch == "ウ" and prev in _U_ROW):
            continue
        out.append(_SAME_SOUND.get(ch, ch))
    return "".join(out)


_FORMS_BY_SOUND = {phonetic_kana(reading): form for reading, form in JA_FORM_READINGS.items()}
_FORM_WORDS_MAX = 4


def romaji_query(text: str) -> str | None:
    """A query typed in romaji, rewritten in kana with legal forms in kanji; else ``None``.

    >>> romaji_query("kyodo kumiai sakura")
    '協同組合 さくら'
    >>> romaji_query("Sakura K.K.")
    'さくら 株式会社'
    """
    words = fold(text).split()
    merged: list[str] = []
    i = 0
    while i < len(words):  # "K.K." folds to "k k"
        if words[i] == "k" and i + 1 < len(words) and words[i + 1] == "k":
            merged.append("kk")
            i += 2
        else:
            merged.append(words[i])
            i += 1
    out: list[str] = []
    kana_words: list[str] = []
    for word in merged:
        if word == "kk":
            kana_words.append("株式会社")
            continue
        kana = romaji_to_hiragana(word)
        if kana is None:
            return None
        kana_words.append(kana)
    i = 0
    while i < len(kana_words):
        for size in range(min(_FORM_WORDS_MAX, len(kana_words) - i), 0, -1):
            form = _FORMS_BY_SOUND.get(phonetic_kana("".join(kana_words[i : i + size])))
            if form is not None:
                out.append(form)
                i += size
                break
        else:
            out.append(kana_words[i])
            i += 1
    return " ".join(out)
