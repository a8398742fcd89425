"""The permission matrix: every case, worker, referral and attachment page and API operation,
for every role in the owning organisation, in an organisation the case was referred to with
consent, in an unrelated organisation, and for platform staff, outsiders and anonymous visitors.

Case A is referred to jp with consent (statement, messages, documents) and accepted; case B was
never consented; case C was referred and accepted, then the consent was withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from fairpassage.cases import people, services
from fairpassage.cases.choices import Part
from fairpassage.core import services as core_services
from fairpassage.core.models import OrganisationKind, Role, User
from tests.cases.conftest import World, file_grievance
from tests.factories import OrganisationFactory, UserFactory, login_verified, second_factor_enrol

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
ORGS = ("vn", "jp", "other")
# The case roles read and change cases; reviewers (who moderate public reports) and analysts
# open none (issue 13, item 1).
READERS = (Role.ORGANISATION_ADMIN, Role.CASE_WORKER)
WRITERS = (Role.ORGANISATION_ADMIN, Role.CASE_WORKER)


@dataclass
class Scene:
    world: World
    ids: dict[str, int]


def refer(world: World, case: Any, parts: list[str]) -> tuple[Any, Any]:
    """Refer ``case`` to the Japanese organisation with consent for ``parts``; it accepts."""
    cw = world.user("vn", "case_worker")
    consent = people.consent_record(
        actor=cw,
        case=case,
        purpose="referral",
        method="written",
        organisations=[world.jp],
        parts=parts,
    )
    referral = people.referral_propose(
        actor=cw, case=case, to_org=world.jp, consent=consent, parts=parts
    )
    people.referral_decide(actor=world.user("jp", "case_worker"), referral=referral, accept=True)
    return consent, referral


@pytest.fixture
def scene(world: World) -> Scene:
    cw = world.user("vn", "case_worker")
    a, _code = file_grievance(agency_name="Cty Sao Mai")
    b, _code = file_grievance(agency_name="Cty Sao Mai")
    c, _code = file_grievance(agency_name="Cty Sao Mai")
    refer(world, a, [Part.STATEMENT, Part.MESSAGES, Part.DOCUMENTS])
    consent_c, _ref = refer(world, c, [Part.STATEMENT])
    people.consent_withdraw(actor=cw, consent=consent_c)
    att_a = services.attachment_add(actor=cw, case=a, name="a.pdf", content=PDF)
    att_b = services.attachment_add(actor=cw, case=b, name="b.pdf", content=PDF)
    consent_b = people.consent_record(
        actor=cw,
        case=b,
        purpose="referral",
        method="oral",
        organisations=[world.other],
        parts=[Part.STATEMENT],
    )
    consent_b = people.consent_record(
        actor=cw,
        case=b,
        purpose="referral",
        method="oral",
        organisations=[world.other],
        parts=["statement"],
    )
    worker = people.worker_create(
        actor=cw, organisation=world.vn, full_name="Trần Thị B", passport_number="B7654321"
    )
    # The agency the grievances are about, with a reviewer of its own.
    agency = OrganisationFactory.create(
        slug="sao-mai", name="Cty Sao Mai", kind=OrganisationKind.SENDING_AGENCY
    )
    accused = UserFactory.create(username="agency_reviewer")
    core_services.membership_set(actor=None, user=accused, organisation=agency, role=Role.REVIEWER)
    world.users["agency_reviewer"] = accused
    return Scene(
        world,
        {
            "a": a.pk,
            "b": b.pk,
            "c": c.pk,
            "att_a": att_a.pk,
            "att_b": att_b.pk,
            "worker": worker.pk,
            "consent_b": consent_b.pk,
        },
    )


VISITORS = ["anonymous", "outsider", "staff"] + [f"{o}_{r}" for o in ORGS for r in Role.values]


def expect(default: int, **cells: int) -> dict[str, int]:
    """Expected status per visitor: ``default`` for members, overrides by visitor name or by
    group (``vn_readers``, ``jp_writers``, ...)."""
    table = {v: default for v in VISITORS}
    table["anonymous"] = 302
    table["outsider"] = 403
    for key, status in cells.items():
        org, _sep, group = key.partition("_")
        if group in ("readers", "writers"):
            roles = READERS if group == "readers" else WRITERS
            for role in roles:
                table[f"{org}_{role}"] = status
        else:
            table[key] = status
    return table


def api_expect(page: dict[str, int]) -> dict[str, int]:
    """The API answers as the page, except 401 without a token and 404 for an outsider."""
    table = dict(page)
    table["anonymous"] = 401
    if table["outsider"] == 403:
        table["outsider"] = 404
    return table


CASE_A = expect(404, vn_readers=200, jp_readers=200)
# The queue and the passport search: a case role somewhere, or platform staff (triage).
CASE_ROLES_ONLY = expect(403, vn_writers=200, jp_writers=200, other_writers=200, staff=200)
CASE_OWN_ONLY = expect(404, vn_readers=200)
MATRIX: list[tuple[str, str, str, dict[str, int]]] = [
    # (method, url template, body kind, expected)
    ("GET", "/vi/grievance/", "", {v: 200 for v in VISITORS}),
    ("GET", "/vi/grievance/track/", "", {v: 200 for v in VISITORS}),
    ("GET", "/vi/grievance/statistics/", "", {v: 200 for v in VISITORS}),
    ("GET", "/vi/cases/", "", CASE_ROLES_ONLY),
    ("GET", "/vi/cases/{a}/", "", CASE_A),
    ("GET", "/vi/cases/{b}/", "", CASE_OWN_ONLY),
    ("GET", "/vi/cases/{c}/", "", CASE_OWN_ONLY),
    ("GET", "/vi/cases/attachments/{att_a}/", "", CASE_A),
    ("GET", "/vi/cases/attachments/{att_b}/", "", CASE_OWN_ONLY),
    ("GET", "/vi/cases/workers/", "", CASE_ROLES_ONLY),
    ("GET", "/vi/cases/workers/{worker}/", "", CASE_OWN_ONLY),
    (
        "GET",
        "/vi/cases/org/vn-support/dashboard/",
        "",
        expect(404, vn_readers=200, vn_reviewer=200, vn_analyst=200),
    ),
    (
        "GET",
        "/vi/cases/org/vn-support/audit/",
        "",
        expect(404, vn_readers=403, vn_reviewer=403, vn_analyst=403, vn_organisation_admin=200),
    ),
    (
        "POST",
        "/vi/cases/{a}/do/note/",
        "note",
        expect(404, vn_writers=302, jp_writers=302),
    ),
    ("POST", "/vi/cases/{b}/do/note/", "note", expect(404, vn_writers=302)),
    ("POST", "/vi/cases/{c}/do/message/", "message", expect(404, vn_writers=302)),
    (
        "POST",
        "/vi/cases/{a}/do/status/",
        "status",
        expect(404, vn_writers=302, jp_readers=403),
    ),
    (
        "POST",
        "/vi/cases/{a}/do/consent/",
        "consent",
        expect(404, vn_writers=302, jp_readers=403),
    ),
    ("GET", "/api/cases", "", api_expect(expect(200)) | {"outsider": 200}),
    ("GET", "/api/cases/{a}", "", api_expect(CASE_A)),
    ("GET", "/api/cases/{b}", "", api_expect(CASE_OWN_ONLY)),
    ("GET", "/api/cases/{c}", "", api_expect(CASE_OWN_ONLY)),
    ("GET", "/api/cases/{a}/claims", "", api_expect(expect(404, vn_readers=200, jp_readers=403))),
    (
        "POST",
        "/api/cases/{a}/notes",
        "note",
        api_expect(expect(404, vn_writers=201, jp_writers=201)),
    ),
    (
        "POST",
        "/api/cases/{c}/messages",
        "message",
        api_expect(expect(404, vn_writers=201)),
    ),
    (
        "POST",
        "/api/cases/{b}/referrals",
        "referral",
        api_expect(expect(404, vn_writers=403)),
    ),
]

BODIES: dict[str, dict[str, Any]] = {
    "note": {"body": "Gọi lại thứ Hai", "language": "vi"},
    "message": {"body": "Chúng tôi đã nhận được"},
    "status": {"status": "triage", "reason": "read"},
    "consent": {"purpose": "referral", "method": "oral", "parts": ["statement"]},
    "referral": {"to_org": "jp-union", "consent": 0, "parts": ["statement"]},
}


def _user(world: World, visitor: str) -> User | None:
    if visitor == "anonymous":
        return None
    if visitor in ("outsider", "staff"):
        return world.users[visitor]
    return world.users[visitor]


def _request(
    scene: Scene, client: Client, method: str, url: str, body: str, headers: dict[str, str]
) -> Any:
    if method == "GET":
        return client.get(url, headers=headers)
    if url.startswith("/api/"):
        payload = dict(BODIES[body])
        if body == "referral":
            payload["consent"] = scene.ids["consent_b"]
        return client.post(url, payload, content_type="application/json", headers=headers)
    data = dict(BODIES[body])
    if body == "consent":
        data["organisations"] = [str(scene.world.other.pk)]
    return client.post(url, data)


IDS = [f"{m} {t}" for m, t, _b, _e in MATRIX]


@pytest.mark.parametrize(("method", "template", "body", "expected"), MATRIX, ids=IDS)
def test_permission_matrix(
    scene: Scene, method: str, template: str, body: str, expected: dict[str, int]
) -> None:
    url = template.format(**scene.ids)
    seen: dict[str, int] = {}
    for visitor in VISITORS:
        user = _user(scene.world, visitor)
        client = Client()
        headers: dict[str, str] = {}
        if url.startswith("/api/"):
            if user is not None:
                _token, plaintext = core_services.api_token_create(actor=None, user=user, name="t")
                headers["Authorization"] = f"Bearer {plaintext}"
        elif user is not None:
            login_verified(client, user)
        response = _request(scene, client, method, url, body, headers)
        seen[visitor] = response.status_code
        opened = response.status_code == 200 and any(ch.isdigit() for ch in url)
        if opened and visitor in ("anonymous", "outsider", "staff"):
            pytest.fail(f"{visitor} opened {url}")
    assert seen == expected


def test_receiver_pages_show_only_consented_parts(scene: Scene, client: Client) -> None:
    """The accepted receiver sees the statement but not the contact; after withdrawal, nothing."""
    world = scene.world
    login_verified(client, world.user("jp", "case_worker"))
    html = client.get(f"/vi/cases/{scene.ids['a']}/").content.decode()
    assert "150 triệu" in html
    assert "123 4567" not in html  # contact part not consented
    assert "Trần Thị B" not in html
    assert client.get(f"/vi/cases/{scene.ids['c']}/").status_code == 404


# Pages anyone may open, signed in or not.
PUBLIC = {"/vi/grievance/", "/vi/grievance/track/", "/vi/grievance/statistics/"}


@pytest.mark.parametrize(("method", "template", "body", "expected"), MATRIX, ids=IDS)
def test_permission_matrix_reviewer_of_the_accused_agency(
    scene: Scene, method: str, template: str, body: str, expected: dict[str, int]
) -> None:
    """Issue 13: the reviewer of the agency a grievance is about gets what a reviewer of an
    unrelated organisation gets, and a reviewer of the receiving support organisation opens no
    case either: the cells of reviewers are those of strangers, on every page and operation."""
    url = template.format(**scene.ids)
    user = scene.world.users["agency_reviewer"]
    client = Client()
    headers: dict[str, str] = {}
    if url.startswith("/api/"):
        _token, plaintext = core_services.api_token_create(actor=None, user=user, name="t")
        headers["Authorization"] = f"Bearer {plaintext}"
    else:
        login_verified(client, user)
    status = _request(scene, client, method, url, body, headers).status_code
    assert status == expected["other_reviewer"]
    if any(ch.isdigit() for ch in url):  # a case, a worker, an attachment: never a reviewer's
        assert expected["vn_reviewer"] in (403, 404), url
        assert status in (403, 404), url


@pytest.mark.parametrize("with_device", [False, True], ids=["no authenticator", "not used"])
@pytest.mark.parametrize(("method", "template", "body", "expected"), MATRIX, ids=IDS)
def test_permission_matrix_without_the_second_factor(
    scene: Scene, method: str, template: str, body: str, expected: dict[str, int], with_device: bool
) -> None:
    """Issue 13: every visitor signed in with a password alone (platform staff, the reviewer of
    the accused agency, every role of every organisation) is sent to the second factor on every
    page that is not public; the API, which a session never signs in to, answers 401."""
    url = template.format(**scene.ids)
    seen: dict[str, str] = {}
    for visitor in [*VISITORS[1:], "agency_reviewer"]:
        user = scene.world.users[visitor]
        if with_device and not hasattr(user, "mfa_device"):
            second_factor_enrol(user)
        client = Client()
        client.force_login(user)
        response = _request(scene, client, method, url, body, {})
        if url in PUBLIC:
            seen[visitor] = "public" if response.status_code == 200 else str(response.status_code)
        elif url.startswith("/api/"):
            seen[visitor] = "401" if response.status_code == 401 else str(response.status_code)
        else:
            where = response.headers.get("Location", "")
            step = "/verify/" if with_device else "/second-factor/?"
            sent = response.status_code == 302 and where.startswith("/vi/account/second-factor/")
            seen[visitor] = "second factor" if sent and step in where else where or "opened"
    want = "public" if url in PUBLIC else "401" if url.startswith("/api/") else "second factor"
    assert seen == dict.fromkeys(seen, want)
