"""*Check my fees*: a guided fee check (programme, stage, contract, wage, payments one by one)
run by the page's forms and engine, answered with a plain summary and a signed link."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from fairpassage.channels.dialogue import fee_link
from fairpassage.channels.dialogue.common import (
    Context,
    Turn,
    ask,
    buttons,
    choose,
    folded,
    is_done,
    menu_button,
    number_in,
    with_menu,
)
from fairpassage.channels.messages import Outgoing
from fairpassage.checks.amount_fields import LARGEST, MESSAGES
from fairpassage.checks.forms import CATEGORIES, PRIORS, PROGRAMMES, STAGES, FeeCheckForm
from fairpassage.checks.refunds import refunds
from fairpassage.checks.templatetags.checks_tags import vnd
from fairpassage.checks.templatetags.fx_tags import month_label, rate_number
from fairpassage.text.amounts import AmountError, ParsedAmount, parse_amount

FLOW = "fees"
MAX_PAYMENTS = 20
STAGES_OF = {
    "titp": ("titp1", "titp2", "titp3"),
    "ssw": ("ssw1", "ssw2"),
    "esd": (),
}
#: The kinds of cost offered as buttons for a payment; anything typed is read from its words.
PAYMENT_KINDS = (
    "service_fee",
    "deposit",
    "language_training",
    "brokerage",
    "flight_to_japan",
    "other",
)


def _label(choices: list[tuple[str, Any]], value: str) -> str:
    return str(dict(choices)[value])


def _programme_options() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in PROGRAMMES]


def _stage_options(programme: str) -> list[tuple[str, str]]:
    return [(code, _label(STAGES, code)) for code in STAGES_OF.get(programme, ())]


def _kind_options() -> list[tuple[str, str]]:
    return [(code, _label(CATEGORIES, code)) for code in PAYMENT_KINDS]


def _programme_buttons() -> dict[str, str]:
    return {
        "titp": pgettext("chat button", "Technical intern"),
        "ssw": pgettext("chat button", "Specified skilled"),
        "esd": pgettext("chat button", "ESD (from 2027)"),
    }


def _ask_programme(data: dict[str, Any], problem: str = "") -> Turn:
    question = _("Which programme are you going (or did you go) to Japan with?")
    text = f"{problem}\n{question}".strip()
    return Turn(
        [ask(text, _programme_options(), short=_programme_buttons())], FLOW, "programme", data
    )


def start(ctx: Context) -> Turn:
    return _ask_programme({"pay": []})


def _ask_stage(data: dict[str, Any]) -> Turn:
    options = _stage_options(data["p"])
    if not options:
        data["s"] = ""
        return _ask_months(data)
    return Turn([ask(_("Which stage of the programme?"), options)], FLOW, "stage", data)


def _prior_options() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in PRIORS]


def _ask_prior(data: dict[str, Any]) -> Turn:
    question = str(dict(FeeCheckForm.base_fields)["prior"].label)
    return Turn([ask(question, _prior_options())], FLOW, "prior", data)


def _ask_months(data: dict[str, Any], problem: str = "") -> Turn:
    question = _("How many months is the contract? Type a number, for example 36.")
    return Turn([Outgoing(text=f"{problem}\n{question}".strip())], FLOW, "months", data)


def _ask_wage(data: dict[str, Any], problem: str = "") -> Turn:
    question = _(
        "What is the basic monthly wage in your contract, without overtime? For example "
        "180.000 yên or 18万円."
    )
    return Turn([Outgoing(text=f"{problem}\n{question}".strip())], FLOW, "wage", data)


def _ask_signed(data: dict[str, Any], problem: str = "") -> Turn:
    question = _(
        "On what date did you sign the contract with the agency? For example 15/06/2025. "
        "The law in force on that date applies."
    )
    options = [("today", pgettext("chat button", "Today"))]
    return Turn(
        [Outgoing(text=f"{problem}\n{question}".strip(), quick_replies=buttons(options))],
        FLOW,
        "signed",
        data,
    )


def _ask_amount(data: dict[str, Any], problem: str = "") -> Turn:
    count = len(data["pay"])
    if count == 0:
        question = _(
            "Now the payments, one by one. Type the amount of the first payment as you would "
            "write it, for example 120.000.000 or 120tr or 18万円."
        )
        options: list[tuple[str, str]] = []
    else:
        question = _(
            "Type the amount of the next payment, or tap Done when every payment is in "
            "(%(n)s so far)."
        ) % {"n": count}
        options = [("done", pgettext("chat button", "Done"))]
    return Turn(
        [Outgoing(text=f"{problem}\n{question}".strip(), quick_replies=buttons(options))],
        FLOW,
        "amount",
        data,
    )


def _payment_name(n: int) -> str:
    return _("Payment %(n)s") % {"n": n}


def _read_amount(typed: str, *, default: str, name: str) -> tuple[ParsedAmount | None, str]:
    """The amount as the page's field reads it, or the page's message asking about it."""
    try:
        parsed = parse_amount(typed, currency=default)
    except AmountError as error:
        code = error.code if error.code in MESSAGES else "invalid"
        return None, str(MESSAGES[code]) % {"field": name, "typed": typed}
    if parsed.value > LARGEST:
        return None, str(MESSAGES["large"]) % {"field": name, "typed": typed}
    return parsed, ""


_YEARS = re.compile(r"^(\d{1,2})\s*(nam|years?|年)$")
_MONTHS = re.compile(r"^(\d{1,3})\s*(thang|months?|ヶ月|か月|カ月|ケ月|箇月)$")


def _months(text: str) -> int | None:
    key = folded(text)
    plain = number_in(key)
    if plain is not None:
        return plain
    if match := _YEARS.match(key):
        return int(match.group(1)) * 12
    if match := _MONTHS.match(key):
        return int(match.group(1))
    return None


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.\-年](\d{1,2})[/.\-月](\d{1,2})日?$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YM = re.compile(r"^(\d{4})[/.\-年](\d{1,2})月?$")
TODAY_WORDS = frozenset(folded(w) for w in ("today", "hôm nay", "今日", "きょう"))


def _date(text: str, today: dt.date) -> dt.date | None:
    key = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if text.strip() == "today" or folded(text) in TODAY_WORDS:
        return today
    parts: tuple[int, int, int] | None = None
    if match := _DMY.match(key):
        parts = (int(match.group(3)), int(match.group(2)), int(match.group(1)))
    elif match := _YMD.match(key):
        parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif match := _MY.match(key):
        parts = (int(match.group(2)), int(match.group(1)), 1)
    elif match := _YM.match(key):
        parts = (int(match.group(1)), int(match.group(2)), 1)
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def step(ctx: Context, step: str, data: dict[str, Any]) -> Turn:
    text = ctx.text
    data.setdefault("pay", [])
    if step == "programme":
        chosen = choose(text, _programme_options()) or choose(
            text, list(_programme_buttons().items())
        )
        if chosen is None:
            return _ask_programme(data, _("Choose one of these."))
        data["p"] = chosen
        return _ask_stage(data)
    if step == "stage":
        options = _stage_options(str(data.get("p", "")))
        chosen = choose(text, options)
        if chosen is None:
            return Turn([ask(_("Choose one of these."), options)], FLOW, step, data)
        data["s"] = chosen
        if data.get("p") == "ssw":  # the Japanese side's fee differs after technical training
            return _ask_prior(data)
        return _ask_months(data)
    if step == "prior":
        chosen = choose(text, _prior_options())
        if chosen is None:
            return _ask_prior(data)
        data["pr"] = chosen
        return _ask_months(data)
    if step == "months":
        months = _months(text)
        if months is None or not 1 <= months <= 120:
            return _ask_months(data, _("The length of the contract is a number of months."))
        data["m"] = months
        return _ask_wage(data)
    if step == "wage":
        name = _("Basic monthly wage in the contract")
        parsed, problem = _read_amount(text, default="JPY", name=name)
        if parsed is None:
            return _ask_wage(data, problem)
        data["w"], data["wc"] = text[:60], parsed.currency or "JPY"
        return _ask_signed(data)
    if step == "signed":
        today = timezone.localdate()
        signed = _date(text, today)
        if signed is None or not dt.date(2000, 1, 1) <= signed <= today + dt.timedelta(days=366):
            return _ask_signed(data, _("Write the date as day/month/year."))
        data["d"] = signed.isoformat()
        return _ask_amount(data)
    if step == "amount":
        if is_done(text):
            if not data["pay"]:
                return _ask_amount(data, _("Type at least one payment."))
            return finish(ctx, data)
        name = _payment_name(len(data["pay"]) + 1)
        parsed, problem = _read_amount(text, default="VND", name=name)
        if parsed is None:
            return _ask_amount(data, problem)
        data["next"] = [text[:60], parsed.currency or "VND"]
        question = _(
            "What was this payment for? Tap one, or write it in your words (for example "
            "“tiền cọc”)."
        )
        return Turn([ask(question, _kind_options())], FLOW, "kind", data)
    if step == "kind":
        amount, currency = data.pop("next", ["", "VND"])
        chosen = choose(text, _kind_options())
        if chosen is not None:
            label, category = _label(CATEGORIES, chosen), chosen
        else:
            label, category = text[: fee_link.LABEL_LENGTH], ""  # the engine reads the words
        data["pay"].append([amount, currency, label, category])
        if len(data["pay"]) >= MAX_PAYMENTS:
            return finish(ctx, data)
        return _ask_amount(data)
    return start(ctx)


def _answers(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("p", "s", "pr", "m", "w", "wc", "d", "pay")
    return {key: data[key] for key in keys if key in data}


def link_for(ctx: Context, answers: dict[str, Any]) -> str:
    with override(ctx.lang):
        path = reverse("chat:check", args=[fee_link.token_make(answers)])
    return ctx.site_url.rstrip("/") + path


def _summary(report: dict[str, Any], rates: dict[str, Any]) -> list[str]:
    summary = report["summary"]
    # The amount to ask back of the result page and the letter, each payment counted once.
    asked = refunds(report).total_vnd
    if asked:
        verdict = _("You paid %(excess)s more than the law allows.") % {"excess": vnd(asked)}
    elif summary["status"] == "needs_review":
        verdict = _("Some payments need a closer look by a support organisation.")
    else:
        verdict = _("We found no payment above what the law allows.")
    lines = [
        verdict,
        f"{_('Total paid')}: {vnd(summary['total_paid_vnd'])}",
        f"{_('Above the legal limit')}: {vnd(asked)}",
    ]
    wanted = ("violation", "needs_review")
    findings = [
        f
        for f in report["findings"]
        if f["status"] in wanted and not str(f["rule"]).startswith("ILO-")
    ]
    lines.extend(f"⚠ {f['message']}" for f in findings[:3])
    for rate in rates.get("used") or []:
        line = _("1 %(currency)s = %(rate)s dong, the reference rate at the end of %(month)s.") % {
            "currency": rate["currency"],
            "rate": rate_number(rate["vnd_per_unit"]),
            "month": month_label(rate["month"]),
        }
        if rate.get("substituted"):
            line += " " + _(
                "Our table has no rate for %(wanted)s yet. On the full result you can type the "
                "rate of your receipts or contract."
            ) % {"wanted": month_label(rate["wanted"])}
        lines.append(line)
    if rates.get("sensitive"):
        lines.append(_("The result depends on the exchange rate."))
    if summary["status"] == "violation":
        lines.append(
            _(
                "What to do: keep your receipts, contract and messages. Ask the agency to return "
                "what is above the limit: the full result has a letter you can print. A support "
                "organisation can help; you can also report the problem here."
            )
        )
    else:
        lines.append(
            _("Keep your receipts and contract. If something else worries you, report it here.")
        )
    return lines


def finish(ctx: Context, data: dict[str, Any]) -> Turn:
    answers = _answers(data)
    checked = fee_link.check(answers, language=ctx.lang)
    if checked.report is None or checked.rates is None:
        problems = "\n".join(checked.errors or [])
        text = (
            _("The check could not be run:") + f"\n{problems}\n" + _("Type “menu” to start again.")
        )
        return Turn([with_menu(text)])
    url = link_for(ctx, answers)
    days = fee_link.max_age_days()
    lines = _summary(checked.report, checked.rates)
    lines.append(
        _("The full result and the letter, on our site (the link works for %(days)s days):")
        % {"days": days}
        + f"\n{url}"
    )
    lines.append(_("This check gives information, not legal advice."))
    return Turn(
        [
            Outgoing(
                text="\n\n".join(lines),
                url=url,
                quick_replies=buttons(
                    [("report", pgettext("chat button", "Report a problem")), menu_button()]
                ),
            )
        ]
    )
