"""Every URL pattern of the site, read from the URL configuration, opened by every role with a
password but without the second factor: nothing outside the exempt list answers 2xx.

The patterns are walked from ``config.urls`` (no hand list): a pattern added later is walked
too, and fails here until a value for its path parameters is known (``_value``). Path
parameters are filled with real objects of a small scene. Each signed-in visitor is walked
twice, without an authenticator and with one not used in the session, by GET and (outside the
exempt list) by POST; the anonymous visitor once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tasks_db.models import DBTaskResult

from fairpassage.channels.models import ChannelAccount
from fairpassage.core import services as core_services
from fairpassage.reference.models import MinimumWage, Prefecture, ProvinceEra, VnProvince
from fairpassage.registry import services as registry_services
from fairpassage.registry.models import HelpEntry, HelpKind, ImportBatch, Licence
from fairpassage.tracker.models import Stakeholder, Status, StatusUpdate, Theme
from tests.factories import second_factor_enrol
from tests.security.scene import SecurityScene, visitors

pytestmark = pytest.mark.django_db

# Pages anyone may open without an account, by URL name: a half-signed-in session sees them as
# an anonymous visitor would.
PUBLIC_PAGES = {
    "set_language",
    "web:home",
    "checks:fee_check",
    "checks:letter",
    "checks:earnings",
    "checks:pathways",
    "checks:law",
    "registry:search",
    "registry:agency",
    "registry:review",
    "registry:help",
    "cases:grievance",
    "cases:track",
    "cases:statistics",
    "surveys:questionnaire",
    "knowledge:index",
    "knowledge:checklist",
    "knowledge:checklist_leaflet",
    "knowledge:article",
    "knowledge:leaflet",
    "tracker:consultation_list",
    "tracker:consultation_detail",
    "tracker:theme_list",
    "tracker:theme_detail",
    "tracker:stakeholder_list",
    "tracker:stakeholder_detail",
    "tracker:progress",
    "tracker:recommendation_detail",
    "tracker:feed",
    "chat:check",
}
# The sign-in flow: sign-in (the admin's answers with the site's), second factor, sign-out.
SIGN_IN_FLOW = {"web:login", "web:logout", "mfa:enrol", "mfa:verify", "admin:login"}
# Public API operations (no token needed); every other operation needs a bearer token.
PUBLIC_API = {
    "api:api-root",
    "api:openapi-json",
    "api:health",
    "api:fee_check",
    "api:earnings",
    "api:pathways",
    "api:agencies_search",
    "api:agency_detail",
    "api:agency_report",
    "api:grievance_create",
    "api:grievance_status",
    "api:grievance_message",
    "api:articles",
    "api:article",
    "api:consultations",
    "api:consultation",
    "api:recommendations",
}
EXEMPT = PUBLIC_PAGES | SIGN_IN_FLOW | PUBLIC_API

# Where a request without the second factor may be sent.
SENT_TO = tuple(
    f"/{lang}/{page}"
    for lang in ("vi", "ja", "en")
    for page in ("account/second-factor/", "login/")
)
# 410: a retired address (the tracking code no longer travels in the URL) answers nothing to anyone.
REFUSED = {401, 403, 404, 405, 410}


def url_patterns() -> Iterator[tuple[str, str]]:
    """(route, view name) of every pattern, with the prefixes of the resolvers above it."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
    ) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = namespace + (f"{p.namespace}:" if p.namespace else "")
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            else:
                yield prefix + str(p.pattern), (namespace + p.name) if p.name else ""

    yield from walk(get_resolver().url_patterns, "", "")


def _admin_object(route: str) -> str:
    found = re.search(r"admin/(\w+)/(\w+)/", route)
    assert found, route
    model = apps.get_model(found.group(1), found.group(2))
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"the scene has no {model._meta.label} for {route}"
    return str(row.pk)


def _value(scene: SecurityScene, name: str, route: str, param: str) -> str:
    o = scene.objects
    pk_of = {
        "cases:": scene.case.pk,
        "cases:attachment": scene.attachment.pk,
        "cases:worker_detail": scene.worker.pk,
        "registry:reply": o["review"].pk,
        "checks:saved_detail": o["fee_check"].pk,
        "checks:plan_detail": o["plan"].pk,
        "checks:batch_": o["batch"].pk,
        "surveys:import": o["survey_import"].pk,
        "surveys:": o["survey"].pk,
        "knowledge:version_action": o["version"].pk,
        "tracker:consultation_detail": o["consultation"].pk,
        "tracker:": o["recommendation"].pk,
        "api:consent_withdraw": scene.consent.pk,
        "api:referral_": scene.referral.pk,
        "api:survey_result": o["survey"].pk,
        "api:": scene.case.pk,
    }
    slug_of = {
        "registry:": scene.agency.slug,
        "api:agency": scene.agency.slug,
        "knowledge:": o["article"].slug,
        "api:article": o["article"].slug,
        "cases:": scene.support.slug,
        "core:members": scene.support.slug,
    }
    fixed = {
        "action": "submit" if name.startswith("knowledge:") else "note",
        "table": "findings",
        "kind": "csv",
        "language": "vi",
        "theme": Theme.values[0],
        "stakeholder": Stakeholder.values[0],
        "code": scene.code,
        "token": "not-a-token",
        "consultation_id": str(o["consultation"].pk),
        "recommendation_id": str(o["recommendation"].pk),
        "id": str(scene.users["outsider"].pk),
        "account_id": "1",  # a chat webhook: unsigned requests are refused (401, 403, 404)
        "content_type_id": str(ContentType.objects.get_for_model(scene.support).pk),
    }
    if param in fixed:
        return str(fixed[param])
    if param == "object_id":
        if "/r/" in route:
            return str(scene.support.pk)
        return _admin_object(route)
    table = pk_of if param == "pk" else slug_of if param == "slug" else {}
    # the longest prefix of the view name that names an object
    for prefix in sorted(table, key=len, reverse=True):
        if name.startswith(prefix):
            return str(table[prefix])
    raise AssertionError(f"no value known for <{param}> of {name or route}: add one to _value")


REGEX_ROUTES = {
    "(?P<rest>": "api/no-such-operation",
    "(?P<app_label>": "vi/admin/core/",
    "(?P<url>": "vi/admin/no-such-page/",
}


def concrete(scene: SecurityScene, route: str, name: str) -> str:
    for marker, path in REGEX_ROUTES.items():
        if marker in route:
            return "/" + path
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: _value(scene, name, route, m.group(2)), route)
    return "/" + path


def _extra_rows(scene: SecurityScene) -> None:
    """Rows the admin lists that the scene's pages do not make."""
    core_services.api_token_create(actor=None, user=scene.users["support_analyst"], name="walk")
    Licence.objects.create(organisation=scene.agency, issuer="molisa", number="123/LĐTBXH-GP")
    ImportBatch.objects.create(source="test", filename="a.csv", sha256="0" * 64, as_of="2026-01-01")
    DBTaskResult.objects.create(  # tests run tasks inline: the queue's table stays empty
        args_kwargs={"args": [], "kwargs": {}},
        task_path="fairpassage.checks.tasks.batch_audit_run",
        backend_name="default",
    )
    tokyo = Prefecture.objects.create(
        code="13",
        name_ja="東京都",
        name_ja_short="東京",
        name_kana="とうきょうと",
        name_romaji="Tokyo",
        region_ja="関東",
        region_romaji="Kanto",
    )
    MinimumWage.objects.create(
        prefecture=tokyo, fiscal_year=2025, hourly_jpy=1226, effective_date="2025-10-03"
    )
    VnProvince.objects.get_or_create(
        era=ProvinceEra.CURRENT, code="01", name="Hà Nội", name_ascii="ha noi"
    )
    HelpEntry.objects.create(
        kind=HelpKind.values[0],
        country="VN",
        name={"vi": "Đường dây nóng", "ja": "", "en": ""},
        verified_on="2026-01-01",
        confidence="verified",
    )
    StatusUpdate.objects.create(
        recommendation=scene.objects["recommendation"],
        date="2026-01-01",
        status=Status.values[0],
        text="Đã thảo luận",
        author=scene.users["support_analyst"],
        organisation=scene.support,
    )
    ChannelAccount.objects.create(organisation=scene.support, provider="line", display_name="walk")
    registry_services.sanction_record(
        actor=None,
        organisation=scene.agency,
        decided_on=dt.date(2026, 1, 1),
        authority="DOLAB",
        measure="fine",
    )


def _judge(route: str, name: str, method: str, response: object) -> str | None:
    status = response.status_code  # type: ignore[attr-defined]
    if status in (301, 302):
        where = response["Location"]  # type: ignore[index]
        return None if where.startswith(SENT_TO) else f"{status} to {where}"
    return None if status in REFUSED else str(status)


def test_exempt_list_is_the_middlewares() -> None:
    from fairpassage.mfa import policy  # noqa: PLC0415

    assert EXEMPT - PUBLIC_API == policy.PUBLIC_PAGES | policy.SIGN_IN_FLOW


def test_every_url_pattern_refuses_every_role_without_the_second_factor(
    scene: SecurityScene,
) -> None:
    _extra_rows(scene)
    routes = list(url_patterns())
    opened: list[str] = []
    walked: Counter[str] = Counter()
    exempt_seen = set()
    for with_device in (False, True):
        names = visitors() + ([] if with_device else ["anonymous"])
        for visitor in names:
            client = Client(raise_request_exception=False)
            if visitor != "anonymous":
                user = scene.user(visitor)
                if with_device:
                    second_factor_enrol(user)
                client.force_login(user)
            for route, name in routes:
                if name in EXEMPT:
                    exempt_seen.add(name)
                    continue
                url = concrete(scene, route, name)
                for method in ("GET", "POST"):
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    verdict = _judge(route, name, method, response)
                    if verdict is not None:
                        opened.append(f"{visitor} {method} {url} ({name}): {verdict}")
                walked[visitor] += 1
    assert not opened, "\n".join(opened[:50])
    assert exempt_seen == EXEMPT - {"api:api-root"} or exempt_seen == EXEMPT, EXEMPT - exempt_seen
    assert len(routes) - len([r for r in routes if r[1] in EXEMPT]) == walked["outsider"] // 2
    print(f"\nwalked {len(routes)} patterns, {walked['outsider'] // 2} outside the exempt list")
