"""What the bot says: one entry point, :func:`respond`, for every provider.

The channel layer calls ``respond`` with the conversation's state (a small JSON object it stores
encrypted) and one :class:`~fairpassage.channels.messages.Incoming` message; it gets back the new
state, the messages to send and, when the worker consented, the case to link the chat to.

The conversation is a state machine (``{"lang", "flow", "step", "data", "linked"}``); each flow
lives in its own module and calls the same selectors and services as the pages. The first
message offers the language; "menu" (or "bắt đầu", "メニュー" …) comes back to the menu at any
time; anything unexpected gets the menu, never an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from fairpassage.cases.models import Case
from fairpassage.channels.dialogue import agency, common, fees, grievance, help
from fairpassage.channels.dialogue.common import Context, Turn
from fairpassage.channels.messages import STATE_LANGUAGE, Incoming, Outgoing
from fairpassage.core.errors import ApplicationError, TooManyRequests

__all__ = ["Reply", "respond"]

log = logging.getLogger(__name__)

STATE_VERSION = 1


@dataclass(frozen=True)
class Reply:
    state: dict[str, Any]  # the conversation's new JSON state (stored encrypted)
    messages: list[Outgoing]
    link_case_id: int | None = None  # the worker consented to link this chat to that case


Step = Callable[[Context, str, dict[str, Any]], Turn]
STARTS: dict[str, Callable[[Context], Turn]] = {
    "agency": agency.start,
    "fees": fees.start,
    "help": help.start,
    "report": grievance.start,
    "follow": grievance.follow_start,
}
STEPS: dict[str, Step] = {
    "agency": agency.step,
    "fees": fees.step,
    "help": help.step,
    "report": grievance.report_step,
    "follow": grievance.follow_step,
}


def _linked(state: dict[str, Any]) -> int | None:
    value = state.get("linked")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _state(lang: str, linked: int | None, turn: Turn | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {"v": STATE_VERSION, STATE_LANGUAGE: lang}
    if turn is not None and turn.flow:
        state |= {"flow": turn.flow, "step": turn.step, "data": turn.data}
    if turn is not None and turn.link_case_id is not None:
        linked = turn.link_case_id
    if turn is not None and turn.unlink:
        linked = None
    if linked is not None:
        state["linked"] = linked
    return state


def _idle(ctx: Context) -> Turn:
    """A message outside any question: a menu choice, a message for the linked case, or help."""
    chosen = common.choose(ctx.text, common.menu_options())
    if chosen is not None:
        return STARTS[chosen](ctx)
    if ctx.linked is not None and ctx.incoming.kind == "text" and ctx.text:
        case = Case.objects.filter(pk=ctx.linked).first()
        if case is not None:
            return grievance.message_post(ctx, case)
        return Turn([common.menu(_("Your report can no longer be found."))], unlink=True)
    return Turn([common.menu(_("I did not understand."))])


def _turn(ctx: Context, state: dict[str, Any]) -> Turn:
    incoming = ctx.incoming
    if incoming.kind == "unsupported":
        text = _("I can read only text messages and buttons. Please type your answer.")
        flow, step = str(state.get("flow", "")), str(state.get("step", ""))
        data = state.get("data") if isinstance(state.get("data"), dict) else {}
        return Turn([Outgoing(text=text)], flow, step, data or {})
    if incoming.kind == "follow" or common.folded(ctx.text) in common.MENU_WORDS:
        return Turn([common.menu()])
    flow, step = str(state.get("flow", "")), str(state.get("step", ""))
    data = state.get("data")
    if flow in STEPS and isinstance(data, dict):
        return STEPS[flow](ctx, step, data)
    return _idle(ctx)


def _language_turn(state: dict[str, Any], incoming: Incoming) -> tuple[str, list[Outgoing]] | None:
    """The language question, until the worker answers it (or asks to change language)."""
    lang = state.get(STATE_LANGUAGE)
    chosen = common.language_answer(incoming.text) if incoming.kind != "unsupported" else None
    asked = state.get("flow") == "language"
    if lang in common.LANGUAGES and not asked:
        if common.folded(incoming.text) in common.LANGUAGE_WORDS:
            return "", [common.language_question()]
        return None
    if chosen is None:
        return "", [common.language_question()]
    with override(chosen):
        return chosen, [common.menu()]


def respond(
    *, state: dict[str, Any], incoming: Incoming, organisation_id: int, site_url: str
) -> Reply:
    """The answer to one message. Never raises: a failure gets an apology and the menu."""
    state = state if isinstance(state, dict) else {}
    linked = _linked(state)
    previous = str(state.get(STATE_LANGUAGE) or "")
    language = _language_turn(state, incoming)
    if language is not None:
        chosen, messages = language
        if not chosen:  # asked (again): remember the language so far, wait for the answer
            new = {"v": STATE_VERSION, "flow": "language"}
            if previous in common.LANGUAGES:
                new[STATE_LANGUAGE] = previous
            if linked is not None:
                new["linked"] = linked
            return Reply(state=new, messages=messages)
        return Reply(state=_state(chosen, linked), messages=messages)
    lang = previous
    ctx = Context(incoming, organisation_id, site_url, lang, linked)
    with override(lang):
        try:
            with transaction.atomic():
                turn = _turn(ctx, state)
        except TooManyRequests:
            turn = Turn(
                [common.with_menu(_("Too many messages. Please wait a while, then try again."))]
            )
        except ApplicationError as error:
            turn = Turn([common.menu(error.rendered_message())])
        except Exception:
            log.exception(
                "chat dialogue failed (%s, step %s)", state.get("flow"), state.get("step")
            )
            turn = Turn([common.menu(_("Sorry, something went wrong. Please start again."))])
    return Reply(
        state=_state(lang, linked, turn), messages=turn.messages, link_case_id=turn.link_case_id
    )
