"""*Report a problem* and *follow my report*: the web form's grievance, filed by the same service
(same validation, routing and urgency), then followed in the chat with the worker's consent or
with the tracking code as on the site.

The tracking code is shown once and never kept in the conversation's state; the random
submission key (from which the service derives the code) is kept only until the grievance is
filed, so a message delivered twice files it once. Without consent, a code typed in the chat
opens the case for one reply, as the tracking page does, counted against the same limit.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fairpassage.cases import codes, services
from fairpassage.cases.choices import Category, MessageSender, Stage, Status, WhereNow
from fairpassage.cases.models import Case
from fairpassage.cases.ratelimit import WINDOW_SECONDS, limit_for
from fairpassage.channels.dialogue.common import (
    NO,
    YES,
    Context,
    Turn,
    ask,
    buttons,
    choose,
    is_skip,
    menu_button,
    with_menu,
    yes_no,
)
from fairpassage.channels.dialogue.help import emergency_lines
from fairpassage.channels.messages import Outgoing
from fairpassage.core.errors import ApplicationError, InvalidInput, TooManyRequests
from fairpassage.core.ratelimit import rate_limit
from fairpassage.core.validation import clean_text
from fairpassage.web.templatetags.dates import day

REPORT, FOLLOW = "report", "follow"
MAX_STATEMENT = 5000


def _yes_no() -> list[tuple[str, str]]:
    return [(YES, pgettext("chat button", "Yes")), (NO, pgettext("chat button", "No"))]


def _options(choices: Any) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices.choices]


def client(ctx: Context) -> str:
    """The key the public limits count this sender by (a keyed hash, like an address)."""
    return f"chat:{ctx.incoming.sender_hash}"


def _count(ctx: Context, scope: str) -> None:
    """One hit of the public grievance limit ``scope``, counted per sender."""
    rate_limit(
        scope=f"cases-{scope}",
        key=client(ctx),
        limit=limit_for(scope),
        window_seconds=WINDOW_SECONDS,
    )


# Report a problem ----------------------------------------------------------------------------


def start(ctx: Context) -> Turn:
    data = {"key": codes.new_idempotency_key()}
    text = _(
        "We will ask a few questions, then send your report to an organisation that can help. "
        "You need not give your name."
    )
    question = _("Are you in danger now?")
    return Turn([ask(f"{text}\n{question}", _yes_no())], REPORT, "urgent", data)


def _ask_where(data: dict[str, Any], before: list[Outgoing] | None = None) -> Turn:
    question = ask(_("Where are you now?"), _options(WhereNow))
    return Turn([*(before or []), question], REPORT, "where", data)


def _categories(text: str) -> list[str] | None:
    """One category (a tapped button, a number or a name) or several numbers ("1, 4")."""
    options = _options(Category)
    one = choose(text, options)
    if one is not None:
        return [one]
    numbers = re.split(r"[\s,;、]+", text.strip())
    if numbers and all(n.isdigit() and 1 <= int(n) <= len(options) for n in numbers):
        return sorted({options[int(n) - 1][0] for n in numbers})
    return None


def _ask_category(data: dict[str, Any]) -> Turn:
    question = _("What happened? Tap one, or type the numbers of several (for example 1, 4).")
    return Turn([ask(question, _options(Category))], REPORT, "category", data)


def report_step(ctx: Context, step: str, data: dict[str, Any]) -> Turn:
    text = ctx.text
    if step == "urgent":
        answer = yes_no(text)
        if answer is None:
            return Turn([ask(_("Choose one of these."), _yes_no())], REPORT, step, data)
        data["urgent"] = answer == YES
        before = []
        if data["urgent"]:
            lines = [_("Call at once (free, day and night):"), *emergency_lines(ctx.lang)]
            before.append(Outgoing(text="\n".join(lines)))
        return _ask_where(data, before)
    if step == "where":
        where = choose(text, _options(WhereNow))
        if where is None:
            return _ask_where(data)
        data["where"] = where
        return _ask_category(data)
    if step == "category":
        chosen = _categories(text)
        if chosen is None:
            return _ask_category(data)
        data["categories"] = chosen
        return Turn([ask(_("When did it happen?"), _options(Stage))], REPORT, "stage", data)
    if step == "stage":
        stage = choose(text, _options(Stage))
        if stage is None:
            return Turn([ask(_("When did it happen?"), _options(Stage))], REPORT, step, data)
        data["stage"] = stage
        question = _("Tell us what happened, in one message, in your own words.")
        return Turn([Outgoing(text=question)], REPORT, "statement", data)
    if step == "statement":
        question = _("Tell us what happened, in one message, in your own words.")
        try:  # the service's own check of text, before it is kept in the conversation
            data["statement"] = clean_text(
                text, field="statement", required=True, limit=MAX_STATEMENT
            )
        except InvalidInput as error:
            problem = error.rendered_message()
            return Turn([Outgoing(text=f"{problem}\n{question}")], REPORT, step, data)
        question = _("The name of the agency or employer, if you know it. Otherwise tap Skip.")
        skip = [("skip", pgettext("chat button", "Skip"))]
        return Turn([Outgoing(text=question, quick_replies=buttons(skip))], REPORT, "agency", data)
    if step == "agency":
        try:
            data["agency"] = "" if is_skip(text) else clean_text(text, field="agency", limit=300)
        except InvalidInput as error:
            data["agency"] = ""
            return Turn([Outgoing(text=error.rendered_message())], REPORT, step, data)
        return submit(ctx, data)
    if step == "consent":
        return consent(ctx, data)
    return start(ctx)


def submit(ctx: Context, data: dict[str, Any]) -> Turn:
    _count(ctx, "grievance")
    case, code, _created = services.grievance_submit(
        idempotency_key=str(data["key"]),
        where_now=str(data["where"]),
        categories=list(data["categories"]),
        stage=str(data["stage"]),
        statement=str(data["statement"]),
        urgent=bool(data.get("urgent")),
        agency_name=str(data.get("agency", "")),
        language=ctx.lang,
    )
    lines = [
        _("Your grievance is received"),
        _(
            "Your tracking code. Write it down or take a photo: it is shown only once and it is "
            "the only way to follow your grievance."
        ),
        codes.display(code),
        _("Keep it private: anyone with the code can read the messages."),
    ]
    if case.organisation is not None:
        lines.append(_("%(org)s will read it.") % {"org": case.organisation})
    else:
        lines.append(_("Our team will send it to an organisation that can help."))
    if case.urgent:
        lines.append(
            _(
                "Now: if you are in danger, call one of the numbers above. They answer day and "
                "night; do not wait for our answer."
            )
        )
    question = _(
        "Do you want to follow your report in this chat? The case worker's answers will come "
        "here, and what you write here will join your report. Anyone who can open this chat "
        "on your phone can read them."
    )
    return Turn(
        [Outgoing(text="\n\n".join(lines)), ask(question, _yes_no())],
        REPORT,
        "consent",
        {"case": case.pk},
    )


def consent(ctx: Context, data: dict[str, Any]) -> Turn:
    answer = yes_no(ctx.text)
    if answer is None:
        return Turn([ask(_("Choose one of these."), _yes_no())], REPORT, "consent", data)
    if answer == YES:
        text = _(
            "Done: this chat is linked to your report. Write here whenever you want to tell "
            "your case worker something; tap Menu to do something else."
        )
        return Turn([with_menu(text)], link_case_id=int(data["case"]))
    text = _(
        "This chat is not linked to your report. Follow it with your code on our site, or here "
        "with “Follow my report”."
    )
    return Turn([with_menu(text, url=ctx.url("cases:track"))])


# Follow my report ----------------------------------------------------------------------------


def status_text(case: Case) -> str:
    """The tracking page's answer in a few lines: status, dates, and the last staff reply."""
    lines = [
        f"{_('Status')}: {Status(case.status).label}",
        f"{_('Received on')}: {day(case.created_at)}",
    ]
    if case.organisation is not None:
        lines.append(f"{_('Handled by')}: {case.organisation}")
    last = case.messages.filter(sender=MessageSender.STAFF).order_by("-created_at", "-pk").first()
    if last is None:
        lines.append(_("No message yet."))
    else:
        lines.append(
            _("Last reply from your case worker (%(date)s):") % {"date": day(last.created_at)}
        )
        lines.append(last.body)
    return "\n".join(lines)


def follow_start(ctx: Context) -> Turn:
    if ctx.linked is not None:
        case = Case.objects.filter(pk=ctx.linked).select_related("organisation").first()
        if case is not None:
            text = (
                status_text(case) + "\n\n" + _("Write here what you want to tell your case worker.")
            )
            return Turn([with_menu(text)])
        return Turn([with_menu(_("Your report can no longer be found."))], unlink=True)
    question = _("Type your tracking code (20 letters and digits).")
    return Turn([Outgoing(text=question, quick_replies=buttons([menu_button()]))], FOLLOW, "code")


def follow_step(ctx: Context, step: str, data: dict[str, Any]) -> Turn:
    if step == "reply" and data.get("case"):
        case = Case.objects.filter(pk=int(data["case"])).first()
        if case is None:
            return Turn([with_menu(_("Your report can no longer be found."))])
        return message_post(ctx, case)
    try:
        case = services.grievance_find(code=ctx.text, client=client(ctx))
    except TooManyRequests:
        raise
    except ApplicationError as error:
        text = (
            error.rendered_message() + "\n" + _("Type your tracking code (20 letters and digits).")
        )
        return Turn([Outgoing(text=text, quick_replies=buttons([menu_button()]))], FOLLOW, "code")
    text = status_text(case) + "\n\n" + _("Type a message for your case worker, or tap Menu.")
    return Turn(
        [Outgoing(text=text, quick_replies=buttons([menu_button()]))],
        FOLLOW,
        "reply",
        {"case": case.pk},
    )


def message_post(ctx: Context, case: Case) -> Turn:
    """The worker's words join the case, as on the tracking page."""
    _count(ctx, "message")
    services.grievant_message_post(case=case, body=ctx.text)
    return Turn([with_menu(_("Your message is sent."))])
