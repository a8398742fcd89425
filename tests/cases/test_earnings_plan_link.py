"""A case linked to a saved earnings plan: the service, the staff action and the case page."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from fairpassage.cases import links
from fairpassage.cases.access import case_access
from fairpassage.cases.models import Case, TimelineEvent
from fairpassage.checks import selectors as checks_selectors
from fairpassage.checks import services as checks_services
from fairpassage.checks.models import EarningsPlan
from fairpassage.core.errors import Forbidden, NotFound
from fairpassage.core.models import AuditEvent, Organisation, User
from tests.cases.conftest import World, file_grievance
from tests.cases.staff_scene import scene_build, statuses
from tests.cases.test_permissions import expect
from tests.checks.test_earnings import EXAMPLE
from tests.factories import login_verified

pytestmark = [pytest.mark.django_db]


def _plan(world: World, organisation: Organisation, title: str, **changes: Any) -> EarningsPlan:
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    name = {world.vn: "vn", world.jp: "jp", world.other: "other"}[organisation]
    writer = world.user(name, "case_worker")
    return checks_services.earnings_plan_save(
        actor=writer, organisation=organisation, data=data, language="vi", title=title
    )


def test_the_owner_links_a_plan_with_timeline_and_audit(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    plan = _plan(world, world.vn, "Plan of Lan")
    links.case_link_earnings_plan(actor=worker, case=case, plan=plan)
    assert Case.objects.get(pk=case.pk).earnings_plan == plan
    event = TimelineEvent.objects.get(case=case, kind="earnings_plan")
    assert event.organisation == world.vn and event.actor_label == worker.username
    assert event.data == {
        "earnings_plan": plan.pk,
        "months_to_repay": plan.months_to_repay,
        "debt_never_repaid": False,
    }
    audit = AuditEvent.objects.get(action="case.earnings_plan")
    assert audit.organisation == world.vn and audit.data == event.data
    # A later plan replaces the link.
    later = _plan(world, world.vn, "After the raise", monthly_basic_wage=240000)
    links.case_link_earnings_plan(
        actor=world.user("vn", "organisation_admin"), case=case, plan=later
    )
    assert Case.objects.get(pk=case.pk).earnings_plan == later
    assert plan.months_to_repay is not None and later.months_to_repay is not None
    assert later.months_to_repay < plan.months_to_repay  # more pay, debt repaid sooner
    assert TimelineEvent.objects.filter(case=case, kind="earnings_plan").count() == 2


def test_who_may_not_link(world: World) -> None:
    scene = scene_build(world)  # case of vn, referred to jp and accepted there
    case = scene.a
    own = _plan(world, world.vn, "own")
    foreign = _plan(world, world.jp, "foreign")
    refused: list[tuple[User, EarningsPlan, type[Exception]]] = [
        (world.user("vn", "case_worker"), foreign, Forbidden),  # a plan of another organisation
        (world.user("vn", "reviewer"), own, NotFound),  # reviewers open no case
        (world.user("vn", "analyst"), own, NotFound),  # aggregates only
        (world.user("jp", "case_worker"), own, Forbidden),  # referred to: not the owner
        (world.user("jp", "case_worker"), foreign, Forbidden),
        (world.user("other", "case_worker"), own, NotFound),  # another organisation
        (world.users["staff"], own, NotFound),
    ]
    for actor, plan, error in refused:
        with pytest.raises(error):
            links.case_link_earnings_plan(actor=actor, case=case, plan=plan)
    assert Case.objects.get(pk=case.pk).earnings_plan is None
    assert not TimelineEvent.objects.filter(kind="earnings_plan").exists()
    assert not AuditEvent.objects.filter(action="case.earnings_plan").exists()


def test_permission_matrix_of_the_action(world: World) -> None:
    scene = scene_build(world)
    own = _plan(world, world.vn, "own")
    url = f"/vi/cases/{scene.a.pk}/earnings-plan/"
    seen = statuses(world, lambda c: c.post(url, {"earnings_plan": own.pk}))
    assert seen == expect(404, vn_writers=302, jp_readers=403)
    foreign = _plan(world, world.jp, "foreign")
    seen = statuses(world, lambda c: c.post(url, {"earnings_plan": foreign.pk}))
    assert seen == expect(404, vn_writers=403, jp_readers=403)
    assert Case.objects.get(pk=scene.a.pk).earnings_plan == own


def test_the_action_with_a_bad_choice_and_by_get(world: World) -> None:
    case, _code = file_grievance()
    client = Client()
    login_verified(client, world.user("vn", "case_worker"))
    url = f"/en/cases/{case.pk}/earnings-plan/"
    response = client.post(url, {"earnings_plan": "first"}, follow=True)
    assert "Choose a saved earnings plan." in response.content.decode()
    assert client.post(url, {"earnings_plan": "999999"}).status_code == 404
    assert client.get(url).status_code == 405
    response = client.post(url, {"earnings_plan": _plan(world, world.vn, "x").pk})
    assert response.status_code == 302
    assert response["Location"] == f"/en/cases/{case.pk}/?section=links#s-links"
    assert Case.objects.get(pk=case.pk).earnings_plan is not None


def test_the_fragment_shows_the_figures_and_the_choice(world: World) -> None:
    case, _code = file_grievance()
    worker = world.user("vn", "case_worker")
    plan = _plan(world, world.vn, "Plan of Lan")
    grows = _plan(world, world.vn, "Usury", debt={**EXAMPLE["debt"], "annual_interest_rate": 2.5})

    def fragment(user: User) -> str:
        access = case_access(user=user, case=Case.objects.get(pk=case.pk))
        assert access is not None
        plans = checks_selectors.earnings_plans_of(organisation=world.vn)
        context = {"case": access.case, "access": access, "earnings_plans": plans}
        with translation.override("en"):
            return render_to_string("cases/_earnings_plan_link.html", context)

    html = fragment(worker)
    assert "No earnings plan is linked to this case." in html
    assert 'name="earnings_plan"' in html and f"/cases/{case.pk}/earnings-plan/" in html
    assert "Plan of Lan" in html and "Usury" in html
    assert case_access(user=world.user("vn", "reviewer"), case=case) is None
    links.case_link_earnings_plan(actor=worker, case=case, plan=plan)
    html = fragment(worker)
    assert f"/earnings-plans/{plan.pk}/" in html
    assert "150.000.000 ₫" in html  # the debt at the start
    assert f"¥{plan.net_jpy:,}" in html
    assert f"<dd>{plan.months_to_repay}</dd>" in html
    assert f'<option value="{plan.pk}" selected>' in html
    links.case_link_earnings_plan(actor=worker, case=case, plan=grows)
    assert "Never: the debt grows" in fragment(worker)


def test_the_case_page_offers_and_shows_the_plan(world: World) -> None:
    case, _code = file_grievance()
    client = Client()
    login_verified(client, world.user("vn", "case_worker"))
    plan = _plan(world, world.vn, "Plan of Lan")
    page = client.get(f"/en/cases/{case.pk}/").content.decode()
    assert f'action="/en/cases/{case.pk}/earnings-plan/"' in page
    assert "Plan of Lan" in page
    client.post(f"/en/cases/{case.pk}/earnings-plan/", {"earnings_plan": plan.pk})
    page = client.get(f"/en/cases/{case.pk}/").content.decode()
    assert f"/earnings-plans/{plan.pk}/" in page
