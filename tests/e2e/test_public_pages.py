"""The guard: every public page, in Vietnamese, Japanese and English, on a 360 x 740 phone.

It fails on horizontal overflow, any console error, any serious or critical axe-core
violation, a tap target under 24 px (44 px for a form's primary action), and rule ids, hashes
or ISO dates in the visible text of Vietnamese and Japanese pages. The pages come from the URL
configuration (tests/e2e/guard.py says how); their measures are written to
var/e2e-public-pages.json.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser

from fairpassage.channels.dialogue import fee_link
from fairpassage.knowledge.models import Article
from fairpassage.knowledge.services import knowledge_seed_load
from fairpassage.reference.services import reference_data_load
from fairpassage.registry.demo import demo_create
from fairpassage.registry.models import Licence
from fairpassage.registry.services import help_directory_load
from fairpassage.tracker.models import Consultation, Recommendation, Stakeholder, Theme
from fairpassage.tracker.services import tracker_seed_load
from tests.e2e import guard

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Failures on pages other work is fixing, by URL name and check. Each entry names the item that
# clears it; the guard fails when an entry no longer fails, so this list can only shrink.
KNOWN: dict[str, list[str]] = {}

CHAT_ANSWERS: dict[str, Any] = {
    "p": "titp",
    "s": "titp1",
    "m": 36,
    "w": "180.000",
    "wc": "JPY",
    "d": "2025-06-01",
    "pay": [["120tr", "VND", "phí dịch vụ", ""]],
}


def scene() -> dict[str, dict[str, Any]]:
    """A few real objects, loaded as the product loads them, to fill path parameters."""
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    demo_create()
    help_directory_load(data_dir=settings.FAIRPASSAGE_DATA_DIR)
    knowledge_seed_load()
    tracker_seed_load()
    agency = Licence.objects.select_related("organisation").order_by("pk").first()
    article = Article.objects.order_by("slug").first()
    consultation = Consultation.objects.order_by("pk").first()
    recommendation = Recommendation.objects.order_by("pk").first()
    assert agency and article and consultation and recommendation, "the scene did not load"
    return {
        "registry:agency": {"slug": agency.organisation.slug},
        "registry:review": {"slug": agency.organisation.slug},
        "knowledge:article": {"slug": article.slug},
        "knowledge:leaflet": {"slug": article.slug},
        "tracker:consultation_detail": {"pk": consultation.pk},
        "tracker:recommendation_detail": {"pk": recommendation.pk},
        "tracker:update_create": {"pk": recommendation.pk},
        "tracker:theme_detail": {"theme": Theme.values[0]},
        "tracker:stakeholder_detail": {"stakeholder": Stakeholder.values[0]},
        # The result a chat links to: a typed check with a service fee over the cap.
        "chat:check": {"token": fee_link.token_make(CHAT_ANSWERS)},
    }


def test_every_public_page_fits_a_phone_and_reads_plainly(
    live_server: Any, browser: Browser
) -> None:
    if not guard.AXE.exists():
        pytest.fail(f"{guard.AXE} is missing: run `make e2e-deps` (npm ci in tests/e2e)")
    started = time.monotonic()
    objects = scene()
    loaded = time.monotonic()
    found = guard.enumerate_public_pages(objects)
    enumerated = time.monotonic()
    assert len(found.pages) >= 15, f"too few public pages found: {found.pages}"
    failures = list(found.failures)
    rows: list[dict[str, Any]] = []
    for language in guard.LANGUAGES:
        context = browser.new_context(
            viewport=guard.VIEWPORT,
            locale={"vi": "vi-VN", "ja": "ja-JP", "en": "en-GB"}[language],
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        try:
            for page in found.pages:
                seen, measure = guard.visit(context, live_server.url, page, language)
                failures += seen
                rows.append(
                    {
                        "page": page.url_name,
                        "language": language,
                        "bytes": measure.weight,
                        "width": measure.width,
                        "axe": measure.axe,
                        "axe_rules": measure.axe_rules,
                    }
                )
        finally:
            context.close()
    guard.write_report(guard.report_path(), rows)
    print(
        f"scene {loaded - started:.1f}s, enumeration {enumerated - loaded:.1f}s,"
        f" {len(rows)} visits {time.monotonic() - enumerated:.1f}s"
    )
    print("skipped by rule:", found.skipped)

    known_hits = {(f.url_name, f.check) for f in failures if f.check in KNOWN.get(f.url_name, [])}
    new = [f for f in failures if f.check not in KNOWN.get(f.url_name, [])]
    cleared = [
        f"{name}: {check}"
        for name, checks in KNOWN.items()
        for check in checks
        if (name, check) not in known_hits
    ]
    message = []
    if new:
        message.append(f"{len(new)} failure(s) on public pages:\n" + "\n".join(map(str, new)))
    if cleared:
        message.append("KNOWN entries that no longer fail (remove them):\n" + "\n".join(cleared))
    assert not message, "\n\n".join(message)
