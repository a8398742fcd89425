"""Pages: sign-in with throttling, set-up, verification, and the decorator, with the test client.

``/protected/`` is a page of this test only: like every page not named in ``mfa/policy.py`` it
needs the second factor.
"""

from __future__ import annotations

import re
import time
from html import unescape
from typing import Any

import pytest
import zxingcpp
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone
from PIL import Image

from config import urls as root_urls
from fairpassage.core.models import AuditEvent, User
from fairpassage.mfa import totp
from fairpassage.mfa.decorators import second_factor_required
from fairpassage.mfa.models import Device, ThrottleLock
from tests.factories import PASSWORD, UserFactory
from tests.mfa.conftest import enrol, next_code


@second_factor_required
def protected(request: HttpRequest) -> HttpResponse:
    return HttpResponse("case data")


urlpatterns = [
    path("protected/", protected),
    *root_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _login(client: Client, user: User, password: str = PASSWORD, **extra: str) -> Any:
    return client.post(
        "/en/login/",
        {"username": user.username, "password": password, "next": "/protected/"},
        **extra,  # type: ignore[arg-type]
    )


# -- the decorator, state by state -----------------------------------------------------------


def test_anonymous_goes_to_sign_in(client: Client) -> None:
    response = client.get("/protected/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/vi/login/?next=/protected/%3Fx%3D1"


def test_user_needing_it_without_a_device_goes_to_set_up(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.get("/protected/")
    assert response.status_code == 302
    assert response["Location"] == "/vi/account/second-factor/?next=%2Fprotected%2F"


def test_user_with_a_device_not_verified_goes_to_verification(client: Client) -> None:
    user = UserFactory.create()  # needs no second factor, but has set one up
    enrol(user)
    client.force_login(user)
    response = client.get("/protected/")
    assert response.status_code == 302
    assert response["Location"] == "/vi/account/second-factor/verify/?next=%2Fprotected%2F"


def test_every_user_without_a_device_goes_to_set_up(client: Client, analyst: User) -> None:
    """Every signed-in page needs the second factor, whatever the role (issue 13, item 5)."""
    client.force_login(analyst)
    response = client.get("/protected/")
    assert response["Location"] == "/vi/account/second-factor/?next=%2Fprotected%2F"


def test_verified_user_proceeds_and_a_reset_device_voids_it(client: Client, member: User) -> None:
    key, _codes = enrol(member)
    client.force_login(member)
    response = client.post(
        "/vi/account/second-factor/verify/", {"code": next_code(key), "next": "/protected/"}
    )
    assert response["Location"] == "/protected/"
    assert client.get("/protected/").content == b"case data"
    Device.objects.filter(user=member).delete()
    assert client.get("/protected/")["Location"].startswith("/vi/account/second-factor/?")


# -- the whole flow --------------------------------------------------------------------------


def test_enrol_then_sign_in_verify_and_sign_out(client: Client, member: User) -> None:
    response = _login(client, member)
    assert response["Location"] == "/en/account/second-factor/?next=%2Fprotected%2F"
    page = client.get("/en/account/second-factor/?next=/protected/")
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    secret = Device.objects.get(user=member).secret
    html = page.content.decode()
    assert f"otpauth://totp/Fair%20Passage%3A{member.username}?secret={secret}" in html
    key = totp.secret_bytes(secret)
    wrong = client.post("/en/account/second-factor/", {"code": "000000", "next": "/protected/"})
    assert wrong.status_code == 200
    assert 'role="alert"' in wrong.content.decode()
    done = client.post(
        "/en/account/second-factor/", {"code": totp.totp(key, time.time()), "next": "/protected/"}
    )
    assert done.status_code == 200
    assert done.content.decode().count("<li><code>") == 10
    assert client.get("/protected/").content == b"case data"

    client.post("/en/logout/")
    response = _login(client, member)
    assert response["Location"] == "/en/account/second-factor/verify/?next=%2Fprotected%2F"
    assert client.get("/protected/")["Location"].startswith("/vi/account/second-factor/verify/")
    code = next_code(key)
    verified = client.post(
        "/en/account/second-factor/verify/", {"code": code, "next": "/protected/"}
    )
    assert verified["Location"] == "/protected/"
    assert client.get("/protected/").content == b"case data"

    # Replay of the same code in another session is refused.
    other = Client()
    _login(other, member)
    replay = other.post("/en/account/second-factor/verify/", {"code": code, "next": "/protected/"})
    assert replay.status_code == 200
    assert other.get("/protected/").status_code == 302

    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    for expected in (
        "auth.login",
        "mfa.enrol_begin",
        "mfa.enrol",
        "mfa.verify",
        "mfa.verify_failed",
    ):
        assert expected in actions
    assert actions.count("auth.login") == 3


def test_a_new_sign_in_forgets_the_earlier_verification(client: Client, member: User) -> None:
    key, _codes = enrol(member)
    _login(client, member)
    client.post("/en/account/second-factor/verify/", {"code": next_code(key)})
    assert client.get("/protected/").status_code == 200
    _login(client, member)  # same browser, same user, signs in again
    assert client.get("/protected/").status_code == 302


def test_unsafe_next_is_replaced(client: Client, member: User) -> None:
    key, _codes = enrol(member)
    client.force_login(member)
    response = client.post(
        "/en/account/second-factor/verify/",
        {"code": next_code(key), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/en/"


# -- throttling ------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_name(client: Client, analyst: User) -> None:
    for _ in range(5):
        assert _login(client, analyst, password="wrong").status_code == 200
    refused = _login(client, analyst)
    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address the same user name is still locked.
    assert _login(Client(), analyst, REMOTE_ADDR="198.51.100.9").status_code == 429
    ThrottleLock.objects.update(until=timezone.now())
    assert _login(client, analyst)["Location"] == "/en/account/second-factor/?next=%2Fprotected%2F"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("auth.login_failed") == 5
    assert actions.count("auth.login_refused") == 2
    failed = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert failed is not None
    assert failed.actor_label == "anonymous"
    assert failed.object_id == str(analyst.pk)
    assert "127.0.0.1" not in str(failed.data)


def test_five_failures_from_one_address_lock_the_address(client: Client, analyst: User) -> None:
    for n in range(5):
        client.post("/en/login/", {"username": f"nobody{n}", "password": "x"})
    assert _login(client, analyst).status_code == 429
    assert _login(Client(), analyst, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_refusal_says_when_to_try_again(client: Client, analyst: User) -> None:
    for _ in range(5):
        _login(client, analyst, password="wrong")
    response = client.post("/vi/login/", {"username": analyst.username, "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "15" in html


def test_wrong_codes_lock_verification(client: Client, member: User) -> None:
    key, _codes = enrol(member)
    client.force_login(member)
    for _ in range(5):
        client.post("/en/account/second-factor/verify/", {"code": "000000"})
    response = client.post("/en/account/second-factor/verify/", {"code": next_code(key)})
    assert response.status_code == 429
    assert client.get("/protected/").status_code == 302


# -- who may open the pages ------------------------------------------------------------------

ENROL, VERIFY = "/vi/account/second-factor/", "/vi/account/second-factor/verify/"
MATRIX = [
    (ENROL, {"anonymous": 302, "analyst": 200, "member": 200, "enrolled": 302}),
    (VERIFY, {"anonymous": 302, "analyst": 302, "member": 302, "enrolled": 200}),
    ("/vi/login/", {"anonymous": 200, "analyst": 200, "member": 200, "enrolled": 200}),
]


@pytest.mark.parametrize(("url", "expected"), MATRIX)
@pytest.mark.parametrize("visitor", ["anonymous", "analyst", "member", "enrolled"])
def test_permission_matrix(
    client: Client, url: str, expected: dict[str, int], visitor: str, analyst: User, member: User
) -> None:
    if visitor == "analyst":
        client.force_login(analyst)
    elif visitor in {"member", "enrolled"}:
        if visitor == "enrolled":
            enrol(member)
        client.force_login(member)
    assert client.get(url).status_code == expected[visitor]


def _svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules drawn by a QR code's SVG path (moves and horizontal runs)."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path is not None
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path[1]):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(float(first))))
            x += float(first)
    return dark


def test_the_set_up_page_shows_a_qr_code_that_reads_as_the_set_up_link(
    client: Client, member: User
) -> None:
    client.force_login(member)
    html = client.get("/vi/account/second-factor/").content.decode()
    shown = re.search(r'<textarea id="otpauth-uri"[^>]*>([^<]+)</textarea>', html)
    assert shown is not None
    link = unescape(shown[1])
    assert link.startswith("otpauth://totp/")
    svg = re.search(r'<svg[^>]*class="qr"[^>]*>.*?</svg>', html, re.S)
    assert svg is not None
    assert "style=" not in svg[0]  # the strict content-security policy forbids inline style
    modules = _svg_modules(svg[0])
    size = max(max(column, row) for column, row in modules) + 5  # the quiet zone
    scale = 6
    image = Image.new("L", (size * scale, size * scale), 255)
    for column, row in modules:
        image.paste(0, (column * scale, row * scale, (column + 1) * scale, (row + 1) * scale))
    (read,) = zxingcpp.read_barcodes(image)
    assert read.format == zxingcpp.BarcodeFormat.QRCode
    assert read.text == link
