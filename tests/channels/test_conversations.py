"""Whole conversations through the real path: signed webhook deliveries in each provider's format,
the real dialogue, the loopback stand-in of the provider's API. A grievance is filed, its code
reaches the chat, the chat is linked with consent, a staff reply reaches that chat and the
worker's next message joins the case; a fee check ends with a link that opens the result; a
second sender on the same account never hears of the first one's case."""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from django.conf import settings
from django.db import close_old_connections, connection
from django.test import Client
from django.test.testcases import _StaticFilesHandler
from django.utils import timezone
from django.utils.translation import override

from fairpassage.cases import codes
from fairpassage.cases import services as case_services
from fairpassage.cases.choices import MessageSender
from fairpassage.cases.models import Case
from fairpassage.channels.models import (
    ChannelAccount,
    ChannelEvent,
    Conversation,
    ConversationMessage,
    EventStatus,
    OutboundMessage,
    OutboundStatus,
)
from fairpassage.channels.services import without_codes
from fairpassage.channels.webhooks import sender_hash
from fairpassage.checks.templatetags.checks_tags import vnd
from fairpassage.core import services as core_services
from fairpassage.core.models import Country, Organisation, Role, User
from tests.channels import payloads as p
from tests.channels.conftest import StandIns, _account
from tests.channels.dialogue_helpers import fresh_state, translated
from tests.channels.standin import Call, ProviderStandIn
from tests.channels.test_concurrency import DISTINCT, WideServerThread, _workers
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}\b")
PROVIDERS = ("line", "zalo", "messenger")
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _clean() -> None:
    fresh_state()


@pytest.fixture
def vn() -> Organisation:
    return OrganisationFactory.create(slug="vn-support", country=Country.VIET_NAM)


@pytest.fixture
def jp() -> Organisation:
    return OrganisationFactory.create(slug="jp-union", country=Country.JAPAN)


def _case_worker(organisation: Organisation) -> User:
    user = UserFactory.create()
    core_services.membership_set(
        actor=None, user=user, organisation=organisation, role=Role.CASE_WORKER
    )
    return user


def texts_of(provider: str, call: Call) -> list[str]:
    """The texts of one recorded call to a provider's send API."""
    if provider == "line":
        return [str(m["text"]) for m in call.body["messages"]]
    return [str(call.body["message"]["text"])]


def recipient_of(provider: str, call: Call) -> str:
    if provider == "line":
        return str(call.body.get("to") or call.body.get("replyToken"))
    if provider == "zalo":
        return str(call.body["recipient"]["user_id"])
    return str(call.body["recipient"]["id"])


@dataclass
class Worker:
    """One person writing to an organisation's account, as the provider delivers it."""

    client: Client
    provider: str
    account: ChannelAccount
    api: ProviderStandIn
    capture: Capture
    user: str
    heard: list[str] = field(default_factory=list)  # every text sent to this chat
    last: list[Call] = field(default_factory=list)  # the calls answering the last message

    def _event(self, text: str, *, tap: bool) -> tuple[str, bytes, dict[str, str], str]:
        n = next(_ids)
        if self.provider == "line":
            event_id = f"01HK{n:06d}"
            if tap:
                event = p.line_event(
                    "postback", event_id=event_id, user=self.user, postback={"data": text}
                )
            else:
                event = p.line_text(text, event_id=event_id, user=self.user)
            raw = p.line_body(event)
            return raw.decode(), raw, p.line_headers(raw), event_id
        if self.provider == "zalo":
            # a Zalo button ("oa.query.hide") sends its payload back as the user's text
            event_id = f"zk{n}"
            zalo = p.zalo_event(
                "user_send_text", msg_id=event_id, user=self.user, message={"text": text}
            )
            raw = p.body(zalo)
            headers = p.zalo_headers(raw, timestamp=str(zalo["timestamp"]))
            return raw.decode(), raw, headers, event_id
        event_id = f"m.k{n}"
        message: dict[str, Any] = {"mid": event_id, "text": text}
        if tap:
            message["quick_reply"] = {"payload": text}
        raw = p.messenger_body(p.messenger_item(psid=self.user, message=message))
        return raw.decode(), raw, p.messenger_headers(raw), event_id

    def send(self, text: str, *, tap: bool = False) -> str:
        """Deliver one message (signed) and run what the queue runs; the answers' text."""
        _decoded, raw, headers, event_id = self._event(text, tap=tap)
        before = len(self.api.calls)
        with self.capture(execute=True):
            response = self.client.post(
                f"/channels/{self.provider}/{self.account.pk}/",
                raw,
                content_type="application/json",
                headers=headers,
            )
        assert response.status_code == 200
        event = ChannelEvent.objects.get(provider=self.provider, event_id=event_id)
        assert event.status == EventStatus.DONE, (event.status, event.error)
        self.last = self.api.calls[before:]
        assert self.last and all(call.authorised for call in self.last)
        answered = [t for call in self.last for t in texts_of(self.provider, call)]
        self.heard.extend(answered)
        return "\n".join(answered)

    def tap(self, payload: str) -> str:
        return self.send(payload, tap=True)

    def received_since(self, before: int) -> list[str]:
        """Texts pushed to this chat (not as a reply) after call number ``before``."""
        found = []
        for call in self.api.calls[before:]:
            assert call.authorised
            if recipient_of(self.provider, call) == self.user:
                found.extend(texts_of(self.provider, call))
        self.heard.extend(found)
        return found


def _api(apis: StandIns, provider: str) -> ProviderStandIn:
    stand_in: ProviderStandIn = getattr(apis, provider)
    return stand_in


def _worker(
    client: Client,
    provider: str,
    organisation: Organisation,
    apis: StandIns,
    capture: Capture,
    user: str,
    account: ChannelAccount | None = None,
) -> Worker:
    account = account or _account(organisation, provider)
    return Worker(client, provider, account, _api(apis, provider), capture, user)


def _code_in(text: str) -> str:
    found = CODE.search(text)
    assert found is not None, text
    return found.group(0)


def _report_in_vietnamese(worker: Worker) -> str:
    worker.send("Xin chào")
    worker.tap("vi")
    worker.tap("report")
    worker.tap("no")  # not in danger now
    worker.tap("VN")
    worker.send("1, 2")  # fees and debt, deposit or penalty
    worker.tap("before_departure")
    worker.send("Công ty thu 150 triệu và giữ 30 triệu tiền cọc, không trả lại.")
    return worker.tap("skip")


def _report_in_japanese(worker: Worker) -> str:
    worker.send("こんにちは")
    worker.tap("ja")
    worker.send("4")  # the menu's number: report a problem
    danger = worker.send("はい")
    assert "110" in danger and "119" in danger  # the emergency numbers at once
    worker.send("2")  # in Japan
    worker.tap("violence")
    worker.tap("in_japan")
    worker.send("寮で殴られました。パスポートも取られています。")
    return worker.send("スキップ")


@pytest.mark.parametrize("language", ["vi", "ja"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_grievance_filed_linked_and_answered_in_the_chat(
    client: Client,
    provider: str,
    language: str,
    vn: Organisation,
    jp: Organisation,
    apis: StandIns,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    own = vn if language == "vi" else jp
    worker = _worker(client, provider, own, apis, django_capture_on_commit_callbacks, "4711")
    done = _report_in_vietnamese(worker) if language == "vi" else _report_in_japanese(worker)
    code = _code_in(done)  # read from the call to the provider's API
    case = Case.objects.get()
    assert case.tracking_hash == codes.tracking_hash(code)
    assert case.language == language
    if language == "vi":
        assert sorted(case.categories) == ["deposit_penalty", "fees_debt"]
        assert not case.urgent and case.organisation == vn and case.stage == "before_departure"
    else:
        assert case.categories == ["violence"]
        assert case.urgent and case.organisation == jp and case.stage == "in_japan"
    assert translated(language, "Your grievance is received") in done
    conversation = Conversation.objects.get(account=worker.account)
    assert conversation.language == language  # fixed answers and staff replies in her language

    linked = worker.tap("yes")  # consent: follow the report in this chat
    assert linked
    conversation.refresh_from_db()
    assert conversation.case == case and conversation.linked_at is not None

    staff = _case_worker(own)
    body = "Chúng tôi đã liên hệ công ty." if language == "vi" else "会社に連絡しました。"
    before = len(worker.api.calls)
    with django_capture_on_commit_callbacks(execute=True):
        case_services.staff_message_post(actor=staff, case=case, body=body, language=language)
    (pushed,) = worker.received_since(before)
    heading = translated(language, "A case worker answered about your report %(reference)s:")
    assert heading % {"reference": case.reference} in pushed and body in pushed
    if provider == "line":
        assert worker.api.calls[-1].path == "/v2/bot/message/push"

    answer = "Tôi còn giữ biên lai." if language == "vi" else "領収書があります。"
    sent = worker.send(answer)
    assert translated(language, "Your message is sent.") in sent
    (mine,) = case.messages.filter(sender=MessageSender.GRIEVANT)
    assert mine.body == answer
    # the code was shown once: no later message carries it again, and nothing keeps it
    assert sum(code in text for text in worker.heard) == 1
    assert _kept_codes(code) == []


def _kept_codes(code: str) -> list[str]:
    """Chat text the layer keeps (events, messages, sent payloads) that holds ``code``."""
    kept = [m.text for m in ConversationMessage.objects.all()]
    kept += [e.text or "" for e in ChannelEvent.objects.all()]
    kept += [o.payload for o in OutboundMessage.objects.all()]
    return [text for text in kept if codes.normalise(code) in codes.normalise(text)]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_report_followed_with_its_code_typed_in_the_chat(
    client: Client,
    provider: str,
    vn: Organisation,
    apis: StandIns,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """Without consent she follows with the code, typed as people type it; the layer keeps
    neither the code it sent nor the one she typed (the case keeps only its keyed hash)."""
    worker = _worker(client, provider, vn, apis, django_capture_on_commit_callbacks, "5005")
    code = _code_in(_report_in_vietnamese(worker))
    worker.tap("no")  # not linked
    case = Case.objects.get()
    case_services.staff_message_post(
        actor=_case_worker(vn), case=case, body="Chị gửi ảnh biên lai nhé.", language="vi"
    )
    worker.tap("follow")
    status = worker.send(code.lower().replace("-", " "))
    assert "Chị gửi ảnh biên lai nhé." in status
    worker.send("Tôi sẽ gửi ảnh.")
    (mine,) = case.messages.filter(sender=MessageSender.GRIEVANT)
    assert mine.body == "Tôi sẽ gửi ảnh."
    assert _kept_codes(code) == []


def _fee_check_in_vietnamese(worker: Worker) -> str:
    worker.send("Chào")
    worker.tap("vi")
    worker.tap("fees")
    worker.tap("titp")
    worker.tap("titp1")
    worker.send("36 tháng")
    worker.send("180.000")
    worker.send("01/06/2025")
    worker.send("120.000.000")
    worker.tap("service_fee")
    worker.send("30tr")
    worker.send("tiền cọc")
    return worker.tap("done")


def _fee_check_in_japanese(worker: Worker) -> str:
    worker.send("こんにちは")
    worker.send("日本語")
    worker.send("2")  # typed number of the menu: check my fees
    worker.send("1")  # TITP
    worker.send("1")  # stage 1
    worker.send("3年")
    worker.send("18万円")
    worker.send("2025年6月1日")
    worker.send("120.000.000")
    worker.send("サービス料")
    worker.send("10万円")
    worker.tap("deposit")
    return worker.tap("done")


@pytest.mark.parametrize("language", ["vi", "ja"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_fee_check_ends_with_a_link_that_opens_the_result(
    client: Client,
    provider: str,
    language: str,
    vn: Organisation,
    apis: StandIns,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    worker = _worker(client, provider, vn, apis, django_capture_on_commit_callbacks, "8080")
    check = _fee_check_in_vietnamese if language == "vi" else _fee_check_in_japanese
    summary = check(worker)
    site = settings.SITE_URL
    links = re.findall(re.escape(site) + r"/\S+", summary)
    assert len(links) == 1, summary
    path = links[0].removeprefix(site)
    assert path.startswith(f"/{language}/chat/check/")
    opened = Client().get(path)
    assert opened.status_code == 200
    report = opened.context["report"]
    assert report["summary"]["status"] == "violation"
    with override(language):
        excess = vnd(report["summary"]["excess_vnd"])
        total = vnd(report["summary"]["total_paid_vnd"])
    html = opened.content.decode()
    assert 'id="result"' in html and excess in html  # the amount over the limit, on the page
    assert excess in summary and total in summary
    if language == "vi":
        assert report["summary"]["total_paid_vnd"] == 150_000_000
        sentence = translated("vi", "You paid %(excess)s more than the law allows.")
        assert sentence % {"excess": excess} in summary
    assert not Case.objects.exists()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_another_sender_on_the_same_account_never_hears_of_the_case(
    client: Client,
    provider: str,
    vn: Organisation,
    apis: StandIns,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    capture = django_capture_on_commit_callbacks
    worker = _worker(client, provider, vn, apis, capture, "1001")
    code = _code_in(_report_in_vietnamese(worker))
    worker.tap("yes")
    case = Case.objects.get()
    stranger = _worker(client, provider, vn, apis, capture, "2002", account=worker.account)
    stranger.send("Xin chào")
    stranger.tap("vi")
    stranger.send("theo dõi báo cáo của tôi")  # "follow my report", typed
    stranger.send("follow my report")
    stranger.tap("follow")  # the menu's button: asks for a code
    stranger.send("xem báo cáo")
    stranger.send("menu")
    stranger.send("Công ty có trả lời chưa?")  # free text outside any question
    before = len(apis.line.calls) + len(apis.zalo.calls) + len(apis.messenger.calls)
    with capture(execute=True):
        case_services.staff_message_post(
            actor=_case_worker(vn), case=case, body="Chị gửi ảnh biên lai nhé.", language="vi"
        )
    assert before < len(apis.line.calls) + len(apis.zalo.calls) + len(apis.messenger.calls)
    stranger.received_since(0)
    secrets = [case.reference, code, "Chị gửi ảnh biên lai nhé.", "150 triệu", "biên lai"]
    for text in stranger.heard:
        for secret in secrets:
            assert secret not in text, (secret, text)
    assert not case.messages.filter(sender=MessageSender.GRIEVANT).exists()
    mine = Conversation.objects.get(account=worker.account, case=case)
    assert (
        Conversation.objects.filter(account=worker.account).exclude(pk=mine.pk).get().case is None
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_long_statement_is_filed_whole(
    client: Client,
    provider: str,
    vn: Organisation,
    apis: StandIns,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """A statement as long as a provider lets a person write (LINE: 5000 characters, Zalo and
    Messenger: 2000) and as the web form takes is filed whole, not refused as too long (which
    asked her to send it in parts, and the second part became the agency's name)."""
    limit = 5000 if provider == "line" else 2000
    worker = _worker(client, provider, vn, apis, django_capture_on_commit_callbacks, "3003")
    worker.send("Xin chào")
    worker.tap("vi")
    worker.tap("report")
    worker.tap("no")
    worker.tap("JP")
    worker.tap("wages")
    worker.tap("in_japan")
    sentence = "Công ty không trả lương làm thêm giờ và giữ hộ chiếu của tôi. "
    statement = (sentence * (limit // len(sentence) + 1))[:limit].strip()
    asked = worker.send(statement)
    agency = "The name of the agency or employer, if you know it. Otherwise tap Skip."
    assert translated("vi", agency) in asked
    done = worker.tap("skip")
    _code_in(done)
    case = Case.objects.get()
    assert case.statement == statement and case.agency_name == ""


# --- 200 concurrent deliveries of grievance-filing messages ----------------------------------


@pytest.fixture
def live() -> Iterator[str]:
    thread = WideServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def _at_the_last_step(account: ChannelAccount, user: str, n: int) -> None:
    """A sender who answered every question of "report a problem" but the agency's name."""
    conversation = Conversation(
        account=account,
        sender_hash=sender_hash(provider=account.provider, account_id=account.pk, user_id=user),
        recipient=user,
        last_activity=timezone.now(),
        offered=["skip"],
    )
    conversation.state = {
        "v": 1,
        "lang": "vi",
        "flow": "report",
        "step": "agency",
        "data": {
            "key": codes.new_idempotency_key(),
            "urgent": n % 5 == 0,
            "where": "VN",
            "categories": ["wages"],
            "stage": "in_japan",
            "statement": f"Công ty nợ lương người lao động số {n}.",
        },
    }
    conversation.save()


def _skip(n: int, account: ChannelAccount, user: str) -> tuple[str, bytes, dict[str, str]]:
    """The n-th sender's last answer ("skip" the agency's name), signed for its provider."""
    provider = account.provider
    if provider == "line":
        raw = p.line_body(p.line_text("skip", event_id=f"01HX{n:05d}", user=user))
        headers = p.line_headers(raw)
    elif provider == "zalo":
        event = p.zalo_event("user_send_text", msg_id=f"zx{n}", user=user, message={"text": "skip"})
        raw = p.body(event)
        headers = p.zalo_headers(raw, timestamp=str(event["timestamp"]))
    else:
        item = p.messenger_item(psid=user, message={"mid": f"m.x{n}", "text": "bỏ qua"})
        raw = p.messenger_body(item)
        headers = p.messenger_headers(raw)
    headers["Content-Type"] = "application/json"
    return f"/channels/{provider}/{account.pk}/", raw, headers


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_deliveries_file_one_grievance_per_event(
    live: str, apis: StandIns
) -> None:
    vn = OrganisationFactory.create(slug="vn-support", country=Country.VIET_NAM)
    accounts = [_account(vn, provider) for provider in PROVIDERS]
    senders = []
    for n in range(DISTINCT):
        account, user = accounts[n % 3], f"{7000 + n}"
        _at_the_last_step(account, user, n)
        senders.append((account, user))
    jobs = [_skip(n, *senders[n]) for n in range(DISTINCT) for _twice in range(2)]
    start = threading.Event()

    def send(job: tuple[str, bytes, dict[str, str]]) -> int:
        path, raw, headers = job
        start.wait()
        try:
            return requests.post(live + path, data=raw, headers=headers, timeout=120).status_code
        finally:
            connection.close()

    close_old_connections()
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=_workers(len(jobs))) as pool:
        futures = [pool.submit(send, job) for job in jobs]
        start.set()
        statuses = [f.result() for f in futures]
    seconds = time.monotonic() - began
    assert statuses == [200] * len(jobs)
    assert ChannelEvent.objects.count() == DISTINCT
    events = dict(ChannelEvent.objects.values_list("status", "error").distinct())
    assert events == {EventStatus.DONE: ""}, events
    assert Case.objects.count() == DISTINCT
    assert Case.objects.filter(organisation=vn, categories=["wages"]).count() == DISTINCT
    assert Case.objects.filter(urgent=True).count() == DISTINCT // 5
    statements = set(Case.objects.values_list("statement", flat=True))
    assert statements == {f"Công ty nợ lương người lao động số {n}." for n in range(DISTINCT)}
    # every sender got its own tracking code in its own chat, once, and nothing failed
    assert not OutboundMessage.objects.exclude(status=OutboundStatus.SENT).exists()
    codes_heard: dict[str, list[str]] = {}
    for provider in PROVIDERS:
        for call in _api(apis, provider).calls:
            assert call.authorised
            who = recipient_of(provider, call)
            for text in texts_of(provider, call):
                codes_heard.setdefault(who, []).extend(CODE.findall(text))
    hashes = set(Case.objects.values_list("tracking_hash", flat=True))
    for n, (_account_of, user) in enumerate(senders):
        who = f"reply-01HX{n:05d}" if n % 3 == 0 else user
        (code,) = codes_heard[who]
        assert codes.tracking_hash(code) in hashes
    print(f"200 concurrent grievance deliveries on {connection.vendor}: {seconds:.1f} s")


def test_only_tracking_codes_are_left_out_of_kept_chat_text() -> None:
    code = codes.display(codes.code_for_key(codes.new_idempotency_key()))
    typed = code.lower().replace("-", " ")
    kept = without_codes(f"Mã: {code}. Tôi gõ lại: {typed}!")
    assert kept == "Mã: […]. Tôi gõ lại: […]!"
    ordinary = (
        "Công ty thu 120.000.000 đồng, gọi 0912 345 678 hoặc +84 24 3942 4262; "
        "hợp đồng số HD-2025-000123"
    )
    assert without_codes(ordinary) == ordinary


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_on_the_last_step_files_once_and_shows_the_code_once(
    live: str, apis: StandIns
) -> None:
    """Each sender taps "skip" twice (two distinct events) at once: one grievance each, its
    code sent once, the second tap answered as the next question's wrong answer."""
    vn = OrganisationFactory.create(slug="vn-support", country=Country.VIET_NAM)
    account = _account(vn, "messenger")
    senders = 20
    for n in range(senders):
        _at_the_last_step(account, f"{9000 + n}", n)
    jobs = [_skip(1000 + 2 * n + t, account, f"{9000 + n}") for n in range(senders) for t in (0, 1)]
    start = threading.Event()

    def send(job: tuple[str, bytes, dict[str, str]]) -> int:
        path, raw, headers = job
        start.wait()
        try:
            return requests.post(live + path, data=raw, headers=headers, timeout=120).status_code
        finally:
            connection.close()

    close_old_connections()
    with ThreadPoolExecutor(max_workers=_workers(len(jobs))) as pool:
        futures = [pool.submit(send, job) for job in jobs]
        start.set()
        statuses = [f.result() for f in futures]
    assert statuses == [200] * len(jobs)
    assert Case.objects.count() == senders
    events = list(ChannelEvent.objects.values_list("status", "error"))
    assert events == [(EventStatus.DONE, "")] * len(jobs), events
    heard: dict[str, list[str]] = {}
    for call in apis.messenger.calls:
        for text in texts_of("messenger", call):
            heard.setdefault(recipient_of("messenger", call), []).extend(CODE.findall(text))
    assert all(len(heard[f"{9000 + n}"]) == 1 for n in range(senders)), heard
