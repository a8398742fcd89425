"""The queue shows what matters (issue 16, item 2): categories, a one-line summary only for
those who may read the statement, the age and the time since the worker last wrote, urgent first,
filters kept in the URL, and a fixed number of queries whatever the number of cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fairpassage.cases import people, services
from fairpassage.cases.choices import Category, Part, Status
from fairpassage.cases.models import Case, Message
from fairpassage.cases.queue import QueueFilters, queue_rows, summarise
from fairpassage.core.models import AuditEvent
from tests.cases.conftest import World, file_grievance
from tests.factories import login_verified

pytestmark = pytest.mark.django_db

LONG = (
    "Công ty môi giới thu của tôi 150 triệu đồng phí dịch vụ và giữ hộ chiếu của tôi từ tháng "
    "trước, họ nói nếu tôi bỏ về sẽ mất tiền cọc\nDòng thứ hai không được hiện"
)


def _cases(html: str) -> list[str]:
    return re.findall(r"FP-\d{6}", html)


def test_summary_is_the_first_line_cut_at_a_word() -> None:
    text = summarise("\n  " + LONG)
    assert text.startswith("Công ty môi giới") and text.endswith("…")
    assert "Dòng thứ hai" not in text and "\n" not in text
    assert len(text) <= 90
    assert summarise("Ngắn\nhai") == "Ngắn"


def test_card_shows_category_summary_age_and_last_message_in_vietnamese(
    client: Client, world: World
) -> None:
    case, _code = file_grievance(
        where_now="JP", statement=LONG, categories=[Category.WAGES, Category.HOURS]
    )
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - dt.timedelta(days=5))
    services.grievant_message_post(case=case, body="Xin giúp tôi")
    Message.objects.filter(case=case).update(created_at=timezone.now() - dt.timedelta(days=3))
    login_verified(client, world.user("jp", "case_worker"))
    html = client.get("/vi/cases/").content.decode()
    card = html.split(case.reference, 1)[1].split("</li>", 1)[0]
    assert "Làm việc quá nhiều giờ" in card  # the categories, translated
    assert "Công ty môi giới thu của tôi" in card and "Dòng thứ hai" not in card
    assert "5 ngày" in card  # open for 5 days
    assert "3 ngày" in card  # the worker last wrote 3 days ago
    ja = client.get("/ja/cases/").content.decode()
    assert "5日" in ja.split(case.reference, 1)[1].split("</li>", 1)[0]


def test_urgent_first_then_the_oldest(client: Client, world: World) -> None:
    old, _ = file_grievance(where_now="JP")
    new, _ = file_grievance(where_now="JP")
    urgent, _ = file_grievance(where_now="JP", urgent=True)
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=9))
    login_verified(client, world.user("jp", "case_worker"))
    order = _cases(client.get("/vi/cases/").content.decode())
    assert order == [urgent.reference, old.reference, new.reference]


def test_referred_case_shows_a_summary_only_when_the_statement_is_shared(
    client: Client, world: World
) -> None:
    shared, _ = file_grievance(statement="Bị giữ hộ chiếu")
    hidden, _ = file_grievance(statement="Nội dung riêng tư")
    assert shared.organisation == hidden.organisation
    owner = shared.organisation
    assert owner is not None
    cw = next(m.user for m in owner.memberships.select_related("user") if m.role == "case_worker")
    for case, parts in ((shared, [Part.STATEMENT]), (hidden, [Part.DOCUMENTS])):
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
        people.referral_decide(
            actor=world.user("jp", "case_worker"), referral=referral, accept=True
        )
    login_verified(client, world.user("jp", "case_worker"))
    html = client.get("/vi/cases/").content.decode()
    assert "Bị giữ hộ chiếu" in html
    assert "Nội dung riêng tư" not in html
    hidden_card = html.split(hidden.reference, 1)[1].split("</li>", 1)[0]
    assert "không được chia sẻ" in hidden_card
    event = AuditEvent.objects.filter(action="case.queue", organisation=world.jp).get()
    assert event.data == {"summaries": [shared.pk]}


def test_filters_by_status_category_and_assignee_kept_in_the_url(
    client: Client, world: World
) -> None:
    me = world.user("jp", "case_worker")
    colleague = world.user("jp", "organisation_admin")
    wages, _ = file_grievance(where_now="JP", categories=[Category.WAGES])
    housing, _ = file_grievance(where_now="JP", categories=[Category.HOUSING, Category.HOURS])
    mine, _ = file_grievance(where_now="JP", categories=[Category.HOURS])
    services.case_assign(actor=me, case=mine, assignee=me)
    services.case_assign(actor=me, case=housing, assignee=colleague)
    services.case_status_change(actor=me, case=wages, status=Status.ACTIVE, reason="Bắt đầu xử lý")
    login_verified(client, me)

    def shown(query: str) -> set[str]:
        return set(_cases(client.get(f"/vi/cases/?{query}").content.decode()))

    assert shown("") == {wages.reference, housing.reference, mine.reference}
    assert shown("category=hours") == {housing.reference, mine.reference}
    assert shown("category=hours&assignee=me") == {mine.reference}
    assert shown("assignee=none") == {wages.reference}
    assert shown(f"assignee={colleague.pk}") == {housing.reference}
    assert shown("status=active") == {wages.reference}
    html = client.get("/vi/cases/?status=active&category=wages&assignee=none").content.decode()
    assert '<option value="active" selected>' in html
    assert '<option value="wages" selected>' in html
    assert '<option value="none" selected>' in html
    # Unknown values are ignored rather than failing or showing nothing.
    assert shown("status=nope&category=%27%3B&assignee=x") == shown("")


def test_other_organisations_cases_never_appear_whatever_the_filter(
    client: Client, world: World
) -> None:
    jp_case, _ = file_grievance(where_now="JP")
    vn_case, _ = file_grievance(where_now="VN")
    login_verified(client, world.user("jp", "case_worker"))
    for query in ("", "category=fees_debt", f"assignee={world.user('vn', 'case_worker').pk}"):
        assert vn_case.reference not in client.get(f"/vi/cases/?{query}").content.decode()
    assert jp_case.reference in client.get("/vi/cases/").content.decode()


def test_summaries_add_no_query_per_case(world: World) -> None:
    user = world.user("jp", "case_worker")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = queue_rows(user=user, filters=QueueFilters(category=Category.WAGES))
            assert all(r.summary for r in rows)
        return len(queries)

    for _ in range(2):
        file_grievance(where_now="JP", categories=[Category.WAGES])
    few = count()
    for _ in range(12):
        case, _code = file_grievance(where_now="JP", categories=[Category.WAGES])
        services.grievant_message_post(case=case, body="Thêm tin")
    assert count() == few
    assert few <= 8
