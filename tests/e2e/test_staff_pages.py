"""The guard of the public pages, run over the staff pages (issue 16): every signed-in page, in
Vietnamese, Japanese and English, on a 360 x 740 phone, opened by the demo staff after signing in
with their second factor.

Pages come from the URL configuration, as for the public pages: a pattern is a staff page when an
anonymous visitor is sent to sign in (or refused) and one of the demo users (case worker,
administrator, analyst, reviewer, the case worker in Japan, platform staff, in that order) gets
an HTML page. POST-only endpoints and file downloads are left out by the same rules. Path
parameters are filled from the demo (``fairpassage setup``'s organisations, users, grievances
and survey) and a few objects saved here as staff would save them.

The checks of the public guard apply (tests/e2e/guard.py): no horizontal overflow, no console
error, no serious or critical axe-core violation, tap targets, primary actions, and no ISO dates
in the visible text of Vietnamese and Japanese pages (staff read dates as they write them too).
Two checks of the public pages do not apply here: staff tools show legal parameter ids and the
rules version on purpose (the law status page lists the parameters to update; a saved fee check
names the rules behind each finding), so rule ids and hashes are allowed on staff pages.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from playwright.sync_api import Browser

from fairpassage.cases import people
from fairpassage.cases.demo import demo_create as cases_demo_create
from fairpassage.cases.models import Case
from fairpassage.checks import batch_services
from fairpassage.checks import services as checks_services
from fairpassage.core import services as core_services
from fairpassage.core.demo import demo_create as core_demo_create
from fairpassage.core.models import Organisation, Role, User
from fairpassage.knowledge.models import Article
from fairpassage.knowledge.services import knowledge_seed_load
from fairpassage.law.batch_io import frames_from_inputs
from fairpassage.reference.services import reference_data_load
from fairpassage.registry.demo import demo_create as registry_demo_create
from fairpassage.registry.services import help_directory_load, review_moderate, review_submit
from fairpassage.surveys.demo import demo_create as surveys_demo_create
from fairpassage.tracker.models import Recommendation
from fairpassage.tracker.services import tracker_seed_load
from tests.checks.conftest import EXAMPLE as FEE_EXAMPLE
from tests.checks.test_earnings import EXAMPLE as EARNINGS_EXAMPLE
from tests.e2e import guard
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, login_verified, second_factor_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: Who opens a staff page: the first of these demo users to get it as an HTML page.
USERS = (
    "demo-caseworker",
    "demo-admin",
    "demo-analyst",
    "demo-reviewer",
    "demo-caseworker-jp",
    "demo-staff",
    "guard-agency-staff",  # made here: the demo has no agency staff, who reply to reports
)
HOME = "demo-hanoi-support"

#: Checks of the public guard that staff pages are not held to (see the module's note).
NOT_FOR_STAFF = {"rule-id", "hash"}

# Failures on pages other work is fixing, by URL name and check. Each entry names the item that
# clears it; the guard fails when an entry no longer fails, so this list can only shrink.
KNOWN: dict[str, list[str]] = {}


def scene(tmp: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The demo as `fairpassage setup` loads it, a few objects staff save, and the demo users
    given a known password and an enrolled second factor (their secrets returned)."""
    reference_data_load(actor=None, data_dir=settings.FAIRPASSAGE_DATA_DIR)
    help_directory_load(data_dir=settings.FAIRPASSAGE_DATA_DIR)
    knowledge_seed_load()
    tracker_seed_load()
    core_demo_create(actor=None, passwords_file=tmp / "demo-users.json")
    registry_demo_create()
    cases_demo_create()
    survey = surveys_demo_create()
    assert survey is not None, "the demo survey did not load"
    agency = Organisation.objects.filter(slug="demo-sending-jsc").get()
    core_services.membership_set(
        actor=None,
        user=UserFactory.create(username="guard-agency-staff"),
        organisation=agency,
        role=Role.ORGANISATION_ADMIN,
    )
    secrets: dict[str, str] = {}
    for username in USERS:
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
        secrets[username] = second_factor_enrol(user)
    home = Organisation.objects.get(slug=HOME)
    worker_user = User.objects.get(username="demo-caseworker")
    case = Case.objects.filter(organisation=home).order_by("pk").first()
    assert case is not None, "no demo grievance reached the demo support centre"
    worker = people.worker_create(
        actor=worker_user,
        organisation=home,
        full_name="[Demo] Nguyễn Thị Lan",
        phone="+84 90 000 0000",
    )
    fee_check = checks_services.fee_check_save(
        actor=worker_user,
        organisation=home,
        data=json.loads(json.dumps(FEE_EXAMPLE)),
        language="vi",
        title="[Demo] Hợp đồng phái cử",
    )
    plan = checks_services.earnings_plan_save(
        actor=worker_user,
        organisation=home,
        data=copy.deepcopy(EARNINGS_EXAMPLE),
        language="vi",
        title="[Demo] Kế hoạch trả nợ",
    )
    engagements, payments = frames_from_inputs([("demo-1", "Demo agency", FEE_EXAMPLE)])
    batch = batch_services.batch_audit_start(
        actor=User.objects.get(username="demo-admin"),
        organisation=home,
        engagements=SimpleUploadedFile("engagements.csv", engagements.write_csv().encode()),
        payments=SimpleUploadedFile("payments.csv", payments.write_csv().encode()),
        language="vi",
        background=False,
    )
    batch_services.batch_audit_process(pk=batch.pk)
    review = review_submit(
        organisation=agency,
        stars={"fees_honesty": 2, "contract_kept": 3, "support": 2},
        text="[Demo] Công ty thu thêm phí đào tạo.",
        language="vi",
        client="guard",
    )
    review_moderate(actor=User.objects.get(username="demo-reviewer"), review=review, publish=True)
    article = Article.objects.order_by("slug").first()
    recommendation = Recommendation.objects.order_by("pk").first()
    record = survey.imports.get()
    assert article is not None and recommendation is not None
    kwargs: dict[str, dict[str, Any]] = {
        "cases:case_detail": {"pk": case.pk},
        "cases:case_agency": {"pk": case.pk},
        "cases:earnings_plan_link": {"pk": case.pk},
        "cases:package_export": {"pk": case.pk},
        "cases:worker_detail": {"pk": worker.pk},
        "cases:dashboard": {"slug": HOME},
        "cases:audit": {"slug": HOME},
        "core:members": {"slug": HOME},
        "checks:saved_detail": {"pk": fee_check.pk},
        "checks:plan_detail": {"pk": plan.pk},
        "checks:batch_detail": {"pk": batch.pk},
        "checks:batch_restart": {"pk": batch.pk},
        "checks:batch_download": {"pk": batch.pk, "table": "findings"},
        "registry:reply": {"pk": review.pk},
        "registry:agency": {"slug": agency.slug},
        "registry:review": {"slug": agency.slug},
        "surveys:detail": {"pk": survey.pk},
        "surveys:mapping": {"pk": survey.pk},
        "surveys:download": {"pk": survey.pk, "kind": "csv"},
        "surveys:import": {"pk": record.pk},
        "knowledge:article": {"slug": article.slug},
        "knowledge:leaflet": {"slug": article.slug},
        "knowledge:article_manage": {"slug": article.slug},
        "knowledge:article_edit": {"slug": article.slug},
        "knowledge:mark_reviewed": {"slug": article.slug},
        "knowledge:draft_edit": {"slug": article.slug, "language": "vi"},
        "tracker:consultation_detail": {"pk": recommendation.consultation_id},
        "tracker:recommendation_detail": {"pk": recommendation.pk},
        "tracker:update_create": {"pk": recommendation.pk},
    }
    return kwargs, secrets


def enumerate_staff_pages(
    kwargs: dict[str, dict[str, Any]],
) -> tuple[dict[str, list[guard.PublicPage]], dict[str, str], list[guard.Failure]]:
    """Staff pages by the demo user who opens them, what was left out and why, and patterns
    no demo user could open."""
    from django.urls import get_resolver, reverse  # noqa: PLC0415

    anonymous = Client()
    clients: dict[str, Client] = {}
    for username in USERS:
        client = Client()
        login_verified(client, User.objects.get(username=username))
        clients[username] = client
    by_user: dict[str, list[guard.PublicPage]] = {u: [] for u in USERS}
    skipped: dict[str, str] = {}
    failures: list[guard.Failure] = []
    for name, params in guard._patterns(get_resolver().url_patterns):
        if params and name not in kwargs:
            skipped[name] = "no object in the scene: " + ", ".join(params)
            continue
        with translation.override("vi"):
            path = reverse(name, kwargs=kwargs.get(name, {}))
        verdict = guard._classify(anonymous, path)
        if verdict != "needs sign-in":
            skipped[name] = "public page (the public guard)" if verdict == "page" else verdict
            continue
        for username in USERS:
            verdict = guard._classify(clients[username], path)
            if verdict == "page":
                response = clients[username].get(path)
                if response.status_code == 200:
                    by_user[username].append(guard.PublicPage(name, kwargs.get(name, {})))
                    break
                verdict = f"redirect ({response.status_code})"
            if verdict in ("POST-only", "file download") or verdict.startswith("redirect"):
                skipped[name] = verdict
                break
        else:
            failures.append(guard.Failure(name, "-", "enumeration", f"{path}: no demo user"))
    return by_user, skipped, failures


def test_every_staff_page_fits_a_phone_and_reads_plainly(
    live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    if not guard.AXE.exists():
        pytest.fail(f"{guard.AXE} is missing: run `make e2e-deps` (npm ci in tests/e2e)")
    started = time.monotonic()
    kwargs, secrets = scene(tmp_path)
    by_user, skipped, failures = enumerate_staff_pages(kwargs)
    enumerated = time.monotonic()
    names = {p.url_name for pages in by_user.values() for p in pages}
    for expected in (
        "cases:queue",
        "cases:case_detail",
        "cases:dashboards",
        "cases:dashboard",
        "cases:workers",
        "surveys:list",
        "surveys:detail",
        "registry:moderate",
        "core:members",
        "checks:law_status",
        "checks:batch_detail",
        "checks:saved_list",
        "knowledge:manage",
    ):
        assert expected in names, f"{expected} not reached: {skipped.get(expected, failures)}"
    rows: list[dict[str, Any]] = []
    for username, pages in by_user.items():
        if not pages:
            continue
        context = browser.new_context(
            viewport=guard.VIEWPORT,
            locale="vi-VN",
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        try:
            sign_in(context.new_page(), live_server.url, username, secrets[username])
            for language in guard.LANGUAGES:
                for page in pages:
                    seen, measure = guard.visit(context, live_server.url, page, language)
                    failures += [f for f in seen if f.check not in NOT_FOR_STAFF]
                    rows.append(
                        {
                            "page": page.url_name,
                            "user": username,
                            "language": language,
                            "bytes": measure.weight,
                            "width": measure.width,
                            "axe": measure.axe,
                            "axe_rules": measure.axe_rules,
                        }
                    )
        finally:
            context.close()
    guard.write_report(Path(settings.BASE_DIR) / "var" / "e2e-staff-pages.json", rows)
    print(
        f"scene and enumeration {enumerated - started:.1f}s, {len(rows)} visits"
        f" {time.monotonic() - enumerated:.1f}s; pages by user:",
        {u: [p.url_name for p in pages] for u, pages in by_user.items()},
    )
    print("skipped by rule:", skipped)

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
        message.append(f"{len(new)} failure(s) on staff pages:\n" + "\n".join(map(str, new)))
    if cleared:
        message.append("KNOWN entries that no longer fail (remove them):\n" + "\n".join(cleared))
    assert not message, "\n\n".join(message)
