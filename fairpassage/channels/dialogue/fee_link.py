"""The fee check of a chat: its answers run through the page's own forms and service, and travel
to the site in a signed, short-lived link (nothing is stored on the server).

The answers are what the worker typed (amounts as typed, with the currency), so the page shows
them back as they were written and reads them with the same parser. A link passes through the
chat provider and the web server's access log, so its answers are compressed and encrypted with
the field keys (``core.crypto``), then signed with a timestamp (``django.core.signing``, a salt
of its own) and refused after ``CHAT_LINK_MAX_AGE_DAYS`` days (7 by default).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from fairpassage.checks import services
from fairpassage.checks.forms import FeeCheckForm, PaymentForm, PaymentFormSet, engine_input
from fairpassage.core import crypto
from fairpassage.core.errors import Gone, InvalidInput, NotFound

SALT = "fairpassage.channels.chat-fee-check"
MAX_AGE_DAYS = 7
PREFIX = "payments"


def max_age_days() -> int:
    """How many days a link from the chat opens the result (``CHAT_LINK_MAX_AGE_DAYS``)."""
    return int(getattr(settings, "CHAT_LINK_MAX_AGE_DAYS", MAX_AGE_DAYS))


#: Free text kept in a link, per payment (the link must stay short enough for a chat button).
LABEL_LENGTH = 60
INVALID = _("This link is not valid. Copy the whole link from the chat, or run the check again.")


def token_make(answers: dict[str, Any]) -> str:
    """The answers compressed, encrypted and signed with a timestamp (URL-safe)."""
    rows = [[*row[:2], str(row[2])[:LABEL_LENGTH], *row[3:]] for row in answers.get("pay") or []]
    text = json.dumps({**answers, "pay": rows}, ensure_ascii=False, separators=(",", ":"))
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")
    return signing.TimestampSigner(salt=SALT).sign(crypto.encrypt(packed))


def token_read(token: str) -> dict[str, Any]:
    """The answers a token carries; Gone once expired, NotFound when changed or not a token."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        sealed = signer.unsign(token, max_age=max_age_days() * 86400)
    except signing.SignatureExpired as error:
        raise Gone(
            _(
                "This link has expired: links from the chat work for %(days)s days. Run the "
                "check again in the chat or on this site."
            ),
            params={"days": max_age_days()},
        ) from error
    except signing.BadSignature as error:
        raise NotFound(INVALID) from error
    try:
        packed = crypto.decrypt(sealed)
        text = zlib.decompress(base64.urlsafe_b64decode(packed)).decode("utf-8")
        answers = json.loads(text)
    except (ImproperlyConfigured, binascii.Error, zlib.error, ValueError) as error:
        # signed by this site but not readable: made under keys that were retired since
        raise NotFound(INVALID) from error
    if not isinstance(answers, dict):
        raise NotFound(INVALID)
    return answers


def form_data(answers: dict[str, Any]) -> QueryDict:
    """The fee-check page's form fields, filled with the chat's answers."""
    data = QueryDict(mutable=True)
    data.update(
        {
            "programme": str(answers.get("p", "")),
            "stage": str(answers.get("s", "")),
            "prior": str(answers.get("pr", "none")),
            "sender": "service_enterprise",
            "contract_months": str(answers.get("m", "")),
            "wage_amount": str(answers.get("w", "")),
            "wage_currency": str(answers.get("wc", "JPY")),
            "signed_on": str(answers.get("d", "")),
        }
    )
    rows = [row for row in answers.get("pay") or [] if isinstance(row, list) and len(row) == 4]
    for index, (amount, currency, label, category) in enumerate(rows):
        data[f"{PREFIX}-{index}-amount"] = str(amount)
        data[f"{PREFIX}-{index}-currency"] = str(currency)
        data[f"{PREFIX}-{index}-label"] = str(label)
        data[f"{PREFIX}-{index}-category"] = str(category)
    data[f"{PREFIX}-TOTAL_FORMS"] = str(max(len(rows), 1))
    data[f"{PREFIX}-INITIAL_FORMS"] = "0"
    return data


@dataclass
class Checked:
    """A fee check run as the page runs it: the bound forms and what the engine answered."""

    post: QueryDict
    form: FeeCheckForm
    payments: Any  # the bound payment formset
    filled: list[PaymentForm]
    engagement: dict[str, Any] | None = None
    report: dict[str, Any] | None = None
    rates: dict[str, Any] | None = None
    errors: list[str] | None = None
    engine_error: InvalidInput | None = None


def check(answers: dict[str, Any], *, language: str) -> Checked:
    """Run the page's forms and the page's service on the answers. Refusals (which the dialogue
    already asks about one by one) come back in ``errors``, shown next to their fields."""
    post = form_data(answers)
    form = FeeCheckForm(post)
    payments = PaymentFormSet(post, prefix=PREFIX)
    if not (form.is_valid() and payments.is_valid()):
        errors = [str(e) for field in form.errors.values() for e in field]
        for row in payments.forms:
            errors += [str(e) for field in row.errors.values() for e in field]
        errors += [str(e) for e in payments.non_form_errors()]
        return Checked(post, form, payments, [], errors=errors)
    filled = [p for p in payments.forms if not p.is_blank()]
    try:
        engagement, report, rates = services.fee_check_run_with_reference_rates(
            data=engine_input(form, filled), language=language
        )
    except InvalidInput as error:
        return Checked(
            post, form, payments, filled, errors=[error.rendered_message()], engine_error=error
        )
    return Checked(post, form, payments, filled, engagement, report, rates)
