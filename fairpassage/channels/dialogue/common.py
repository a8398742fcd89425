"""What every conversation shares: the turn it returns, reading short answers, the menu.

A conversation is a small state machine: the state (JSON, stored encrypted by the channel layer)
names the ``flow`` and the ``step`` the worker is at and the ``data`` gathered so far; each step
reads one message and returns a :class:`Turn` naming the next step. Nothing here keeps anything
between messages but that state.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from fairpassage.channels.messages import Incoming, Outgoing, QuickReply

LANGUAGES = ("vi", "ja", "en")
#: The language names, each in its own language (never translated).
AUTONYMS = {"vi": "Tiếng Việt", "ja": "日本語", "en": "English"}


@dataclass(frozen=True)
class Context:
    """One incoming message and where it came from."""

    incoming: Incoming
    organisation_id: int
    site_url: str
    lang: str
    linked: int | None  # the case this chat is linked to, with the worker's consent

    @property
    def text(self) -> str:
        return self.incoming.text.strip()

    def url(self, name: str, *args: Any) -> str:
        """The public address of a page of the site, in the worker's language."""
        with override(self.lang):
            path = reverse(name, args=args)
        return self.site_url.rstrip("/") + path


@dataclass
class Turn:
    """What a step answers and where the conversation goes next (``flow`` empty: the menu)."""

    messages: list[Outgoing]
    flow: str = ""
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    link_case_id: int | None = None  # the worker consented to follow this case in the chat
    unlink: bool = False  # the linked case no longer exists


# Reading what was typed ---------------------------------------------------------------------


def folded(text: str) -> str:
    """Compatibility forms, case, diacritics, spacing and end punctuation folded away."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.strip(" .!?。！？、,").split())


MENU_WORDS = frozenset(
    folded(w)
    for w in ("menu", "bắt đầu", "trở lại", "quay lại", "start", "メニュー", "最初", "はじめ", "0")
)
LANGUAGE_WORDS = frozenset(
    folded(w) for w in ("language", "ngôn ngữ", "đổi ngôn ngữ", "言語", "げんご", "lang")
)
DONE_WORDS = frozenset(
    folded(w) for w in ("done", "xong", "hết", "het roi", "xong rồi", "終わり", "おわり", "完了")
)
YES_WORDS = frozenset(folded(w) for w in ("yes", "có", "co", "đồng ý", "ok", "はい", "y"))
NO_WORDS = frozenset(folded(w) for w in ("no", "không", "khong", "いいえ", "n"))
SKIP_WORDS = frozenset(folded(w) for w in ("skip", "bỏ qua", "không biết", "スキップ", "-"))
LANGUAGE_ANSWERS = {
    **{folded(w): "vi" for w in ("vi", "tiếng việt", "tieng viet", "vietnamese", "ベトナム語")},
    **{folded(w): "ja" for w in ("ja", "日本語", "にほんご", "tiếng nhật", "japanese")},
    **{folded(w): "en" for w in ("en", "english", "tiếng anh", "英語")},
}

YES, NO, SKIP, DONE = "yes", "no", "skip", "done"


def choose(text: str, options: list[tuple[str, str]]) -> str | None:
    """The option ``text`` picks: its payload (a tapped button), its number or its label."""
    raw = text.strip()
    for value, _label in options:
        if raw == value:
            return value
    key = folded(raw)
    if key.isdigit() and 1 <= int(key) <= len(options):
        return options[int(key) - 1][0]
    for value, label in options:
        if key in (folded(label), folded(value)):
            return value
    return None


def yes_no(text: str) -> str | None:
    key = folded(text)
    if text.strip() in (YES, NO):
        return text.strip()
    if key in YES_WORDS:
        return YES
    if key in NO_WORDS:
        return NO
    return None


def is_done(text: str) -> bool:
    return text.strip() == DONE or folded(text) in DONE_WORDS


def is_skip(text: str) -> bool:
    return text.strip() == SKIP or folded(text) in SKIP_WORDS


# Answers ------------------------------------------------------------------------------------


BUTTON_LABEL = 20  # providers cut longer labels; the numbered list in the text has them whole


def _short(label: str) -> str:
    return label if len(label) <= BUTTON_LABEL else label[: BUTTON_LABEL - 1].rstrip() + "…"


def buttons(options: list[tuple[str, str]]) -> tuple[QuickReply, ...]:
    """Quick replies for ``(payload, label)`` options (providers take at most 13)."""
    return tuple(QuickReply(label=_short(label), payload=value) for value, label in options[:13])


def numbered(options: list[tuple[str, str]]) -> str:
    """The options as a numbered list, for chats that show no buttons."""
    return "\n".join(f"{n}. {label}" for n, (_value, label) in enumerate(options, start=1))


def ask(
    text: str, options: list[tuple[str, str]], *, short: dict[str, str] | None = None
) -> Outgoing:
    """A question with its options numbered in the text and as buttons (``short`` gives a
    button a shorter label than the list's)."""
    body = f"{text}\n{numbered(options)}" if options else text
    labels = [(value, (short or {}).get(value, label)) for value, label in options]
    return Outgoing(text=body, quick_replies=buttons(labels))


def menu_button() -> tuple[str, str]:
    return ("menu", pgettext("chat button", "Menu"))


def with_menu(text: str, *, url: str | None = None) -> Outgoing:
    """A message that ends a conversation: the menu's buttons under it."""
    return Outgoing(text=text, quick_replies=buttons(menu_options()), url=url)


MENU_ITEMS = ("agency", "fees", "help", "report", "follow")


def menu_options() -> list[tuple[str, str]]:
    return [
        ("agency", pgettext("chat button", "Check an agency")),
        ("fees", pgettext("chat button", "Check my fees")),
        ("help", pgettext("chat button", "Help now")),
        ("report", pgettext("chat button", "Report a problem")),
        ("follow", pgettext("chat button", "Follow my report")),
    ]


def menu(intro: str = "") -> Outgoing:
    """The menu: what the worker can do here, as buttons and as a numbered list."""
    question = _("What would you like to do? Tap a button or type its number.")
    footer = _("Type “menu” at any time to come back here.")
    lines = [intro, question] if intro else [question]
    text = "\n".join(lines) + "\n" + numbered(menu_options()) + "\n" + footer
    return Outgoing(text=text, quick_replies=buttons(menu_options()))


def language_question() -> Outgoing:
    """The first question, in the three languages at once."""
    lines = []
    for code in LANGUAGES:
        with override(code):
            lines.append(_("Hello. This is Fair Passage. Choose your language."))
    options = [(code, AUTONYMS[code]) for code in LANGUAGES]
    return Outgoing(text="\n".join(lines), quick_replies=buttons(options))


def language_answer(text: str) -> str | None:
    raw = text.strip()
    if raw in LANGUAGES:
        return raw
    return LANGUAGE_ANSWERS.get(folded(raw))


def number_in(text: str) -> int | None:
    """A whole number typed on its own ("36", "３６")."""
    key = unicodedata.normalize("NFKC", text).strip()
    return int(key) if re.fullmatch(r"\d{1,6}", key) else None
