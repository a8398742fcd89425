"""The home page of a signed-in member of staff says where their work is, and (demo) what to try."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.test import Client

from fairpassage.cases import demo as cases_demo
from fairpassage.core import demo as core_demo
from fairpassage.core.models import User
from fairpassage.web.staff_start import DEMO_FIRST_STEPS, staff_start
from tests.factories import UserFactory, login_verified


def test_every_demo_user_has_a_first_step() -> None:
    assert set(DEMO_FIRST_STEPS) == {u.username for u in core_demo.USERS}


@pytest.fixture
def demo(tmp_path: Path) -> None:
    core_demo.demo_create(actor=None, passwords_file=tmp_path / "demo.json")
    cases_demo.demo_create()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("username", [u.username for u in core_demo.USERS])
def test_each_demo_user_lands_on_links_that_let_them_in(username: str) -> None:
    user = User.objects.get(username=username)
    start = staff_start(user=user)
    assert start is not None
    assert start.links, username
    assert start.demo_first_step == DEMO_FIRST_STEPS[username]
    client = Client()
    login_verified(client, user)
    home = client.get("/en/")
    assert home.status_code == 200
    assert html.escape(str(DEMO_FIRST_STEPS[username])) in home.content.decode()
    for link in start.links:
        response = client.get(link.url)
        assert response.status_code == 200, (username, link.url, response.status_code)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_panel_matches_the_role() -> None:
    caseworker = staff_start(user=User.objects.get(username="demo-caseworker"))
    analyst = staff_start(user=User.objects.get(username="demo-analyst"))
    reviewer = staff_start(user=User.objects.get(username="demo-reviewer"))
    assert caseworker and analyst and reviewer
    assert any(link.url.endswith("/cases/") for link in caseworker.links)
    assert not any(link.url.endswith("/cases/") for link in analyst.links)
    assert any("moderate" in link.url for link in reviewer.links)
    assert not any("moderate" in link.url for link in caseworker.links)


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_whom_to_ask_and_a_visitor_sees_no_panel() -> None:
    user: User = UserFactory.create()
    start = staff_start(user=user)
    assert start is not None and start.links == () and start.demo_first_step is None
    client = Client()
    login_verified(client, user)
    assert "administrator to give you one" in html.unescape(client.get("/en/").content.decode())
    assert "Where your work is" not in Client().get("/en/").content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_first_step_is_in_vietnamese_and_japanese() -> None:
    client = Client()
    login_verified(client, User.objects.get(username="demo-caseworker"))
    vi = client.get("/vi/").content.decode()
    ja = client.get("/ja/").content.decode()
    assert "Hãy thử trước" in vi and "Công việc của bạn" in vi
    assert "まず試すこと" in ja and "あなたの業務" in ja
