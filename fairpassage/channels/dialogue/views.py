"""The fee check a chat links to: the token's answers, run again and shown on the fee-check page.

Nothing of the check is stored: the answers travel in the signed link (``fee_link``), and the page
is the site's own fee-check page, with the answers in its form, the result, the rates used and the
letter. An expired link answers 410, a changed or broken one 404, each with a translated message.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fairpassage.channels.dialogue import fee_link
from fairpassage.checks.forms import attach_engine_error
from fairpassage.checks.views import _corrections, _render


@never_cache
@require_safe
def fee_check(request: HttpRequest, token: str) -> HttpResponse:
    answers = fee_link.token_read(token)
    checked = fee_link.check(answers, language=(get_language() or "vi")[:2])
    if checked.report is None:
        if checked.engine_error is not None:
            error = checked.engine_error
            attach_engine_error(
                checked.form, checked.filled, error.field or "", error.rendered_message()
            )
        return _render(request, checked.form, checked.payments, status=422)
    return _render(
        request,
        checked.form,
        checked.payments,
        report=checked.report,
        engagement=checked.engagement,
        corrections=_corrections(checked.post, checked.filled, checked.report),
        rates=checked.rates,
    )
