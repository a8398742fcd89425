"""Every form of every page, fuzzed: generated values (hypothesis) for each of its fields, never
a 5xx, and nothing half-stored by a refused submission.

The forms are not listed by hand: the site is crawled (from the home page and the staff entry
points, anonymous and signed in as a case worker, an organisation administrator and platform
staff, with the second factor) and every ``<form method="post">`` found is parsed for its fields
(inputs, selects with their options, text areas, files, named buttons). Each field then gets, in
each example, either one of the values the page offers or generated text: anything
``st.text()`` draws plus NUL characters, lone surrogates (sent as the bytes a browser would
send), huge numbers, impossible dates and very long text.

Runs on the configured database (SQLite, or PostgreSQL with DATABASE_URL). The number of
examples per form is small for ``make test`` (``FUZZ_EXAMPLES``, default 5 here); ``make fuzz``
runs many more.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings as SettingsWrapper

from fairpassage.cases import people, returns, services
from fairpassage.cases.choices import ClaimKind
from fairpassage.core import ratelimit
from fairpassage.core.models import AuditEvent, Organisation, OrganisationKind, Role, User
from fairpassage.knowledge.services import knowledge_seed_load
from fairpassage.registry.demo import demo_create as registry_demo
from fairpassage.registry.services import STARS, review_submit
from fairpassage.tracker.services import tracker_seed_load
from tests.cases.conftest import World, _private_attachments, world
from tests.cases.staff_scene import scene_build
from tests.factories import login_verified

__all__ = ["_private_attachments", "world"]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # a failure reports its values, unshrunk (fast)
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MAX_PAGES = 200
#: Forms that end the visitor's session or its second factor: fuzzing them would only sign
#: the crawler out (they are tested where they are built).
SKIP_ACTIONS = re.compile(r"/(logout|second-factor|mfa)/|/i18n/setlang/")
#: Pages that hold no form: files (letters, exports, downloads) and the admin.
SKIP_PAGES = re.compile(r"/admin/|letter|download|export|\.(pdf|csv|xlsx|json|svg)$|/files?/")
#: Tables a refused request may still write: its rate-limit count and the session.
BOOKKEEPING = {"core.ratecounter", "sessions.session"}
#: A refused sign-in is audited (and counted) by design.
AUDITED_REFUSALS = ("login.", "mfa.", "auth.")

SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x\ud800y",
    "\udfff",
    "1e20",
    "100000000000000000000",
    "-1",
    "0",
    "１２３",
    "²",
    "2024-02-30",
    "9999-12-31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 20_000,
    "Nguyễn Thị Hoa",
]
TEXT = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=60))


@dataclass
class Field:
    name: str
    kind: str  # text, choice, file, fixed
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    method: str = "post"
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """The same form on many pages (one per case, article, …) is fuzzed once."""
        return _route(urlsplit(self.action).path), tuple(sorted(self.fields))


def _route(path: str) -> str:
    try:
        return str(resolve(path).route)
    except Resolver404:
        return path


def _candidates() -> dict[str, list[Any]]:
    """Values to fill a URL's arguments with: ids and short names of what the scene holds."""
    slugs: list[str] = ["vi", "en", "ja"]
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "slug" in names:
            slugs += [str(v) for v in model._base_manager.values_list("slug", flat=True)[:3]]
    return {"int": list(range(1, 9)), "slug": slugs, "str": slugs, "path": slugs}


def _start_pages(client: Client) -> list[str]:
    """A page for every pattern of the URL configuration (in Vietnamese): argument-less ones as
    they are, the others with the first arguments from the scene that open a page. The crawl
    then does not depend on what the navigation links to."""
    candidates = _candidates()
    pages: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                _fill(f"{namespace}{pattern.name}", pattern.pattern.converters)

    def _fill(name: str, converters: dict[str, Any]) -> None:
        kinds = {
            arg: type(c).__name__.replace("Converter", "").lower() for arg, c in converters.items()
        }
        options = [candidates.get(kind, candidates["slug"]) for kind in kinds.values()]
        for values in itertools.islice(itertools.product(*options), 12):
            with translation.override("vi"), contextlib.suppress(NoReverseMatch):
                url = reverse(name, kwargs=dict(zip(kinds, values, strict=True)))
                if not url.startswith("/vi/"):
                    return
                if not kinds or client.get(url).status_code == 200:
                    pages.append(url)
                    return

    walk(get_resolver().url_patterns, "")
    return sorted(set(pages))


class _Parser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        if tag == "form":
            self._form = Form(
                page=self.page,
                action=urljoin(self.page, a.get("action") or self.page),
                multipart="multipart" in a.get("enctype", ""),
                method=a.get("method", "get").lower(),
            )
            return
        form, name = self._form, a.get("name", "")
        if form is None or not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                form.fields.setdefault(name, Field(name, "choice")).options.append(
                    a.get("value", "on")
                )
            elif kind == "file":
                form.fields[name] = Field(name, "file")
            elif kind in ("submit", "button"):
                form.fields.setdefault(name, Field(name, "fixed")).options.append(
                    a.get("value", "")
                )
            else:
                form.fields.setdefault(name, Field(name, "text")).options.append(a.get("value", ""))
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.fields.setdefault(name, Field(name, "fixed")).options.append(a.get("value", ""))
        elif tag == "textarea":
            form.fields.setdefault(name, Field(name, "text"))
        elif tag == "select":
            self._select = form.fields.setdefault(name, Field(name, "choice"))
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            form = self._form
            if form.method == "post" and form.fields:
                self.forms.append(form)
            elif form.method == "get":  # a search: follow it with a plain query
                query = {
                    n: (f.options[0] if f.kind in ("choice", "fixed") and f.options else "a")
                    for n, f in form.fields.items()
                }
                self.links.append(f"{form.action}?{urlencode(query)}")
            self._form = None
        if tag == "select":
            self._select = None


def _crawl(client: Client, start: list[str]) -> Iterator[Form]:
    """Every POST form on the pages reachable from the start pages (same site, one language,
    no admin, no API, no files)."""
    seen: set[str] = set()
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        path = parts.path
        route = _route(path)
        if route in seen or not path.startswith("/vi/") or SKIP_PAGES.search(path):
            continue
        seen.add(route)  # one page per route: one case, one article, … show the same forms
        response = client.get(path + (f"?{parts.query}" if parts.query else ""))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Parser("http://testserver" + path)
        parser.feed(response.content.decode("utf-8", "replace"))
        for link in parser.links:
            target = urlsplit(link)
            if target.netloc in ("", "testserver"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
        yield from parser.forms


def _value(data: st.DataObject, f: Field) -> Any:
    if f.kind == "fixed":
        return data.draw(st.sampled_from(f.options))
    if f.kind == "choice":
        offered = [o for o in f.options if o is not None]
        choice = st.sampled_from(offered) if offered else TEXT
        if data.draw(st.booleans()):  # a multiple choice: several values, some invented
            return data.draw(st.lists(st.one_of(choice, TEXT), max_size=3))
        return data.draw(st.one_of(choice, TEXT))
    if f.kind == "file":
        body = data.draw(
            st.one_of(
                st.binary(max_size=200),
                st.binary(max_size=200).map(lambda b: b"%PDF-1.4\n" + b),
                st.binary(max_size=50).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
            )
        )
        name = data.draw(st.one_of(st.sampled_from(["a.pdf", "x" * 300 + ".pdf"]), TEXT))
        return (name or "file").encode("utf-8", "replace").decode("utf-8"), body
    return data.draw(st.one_of(st.sampled_from([o for o in f.options if o] or [""]), TEXT))


def _bytes(value: str) -> bytes:
    """What a browser sends: UTF-8, a lone surrogate as its three bytes."""
    return value.encode("utf-8", "surrogatepass")


def _upload(name: str, body: bytes) -> SimpleUploadedFile:
    """The file as a browser sends it; a name no browser sends ("." or "..") becomes "file"
    (the test client refuses to build it)."""
    try:
        return SimpleUploadedFile(name, body)
    except SuspiciousFileOperation:
        return SimpleUploadedFile("file", body)


def _post(client: Client, form: Form, values: dict[str, Any]) -> Any:
    path = urlsplit(form.action).path
    if form.multipart:
        data: dict[str, Any] = {}
        for name, value in values.items():
            if isinstance(value, tuple):
                data[name] = _upload(*value)
            elif isinstance(value, list):
                data[name] = [_bytes(v).decode("utf-8", "replace") for v in value]
            else:
                data[name] = _bytes(value).decode("utf-8", "replace")
        return client.post(path, data)
    pairs = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote_from_bytes(_bytes(name))}={quote_from_bytes(_bytes(item))}")
    return client.post(path, "&".join(pairs), content_type="application/x-www-form-urlencoded")


def _counts() -> dict[str, int]:
    counts = {
        m._meta.label_lower: m._base_manager.count()
        for m in apps.get_models()
        if m._meta.label_lower not in BOOKKEEPING and m._meta.managed
    }
    audited = AuditEvent.objects.exclude(
        action__regex=r"^(" + "|".join(re.escape(a) for a in AUDITED_REFUSALS) + ")"
    )
    counts["core.auditevent"] = audited.count()
    return counts


def _refused(response: Any) -> bool:
    if response.status_code >= 400:
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(m.level >= message_levels.ERROR for m in queued)


def _scene(world: World) -> None:
    """Something behind every staff page: a referred case with a consent, a worker, a task,
    a claim, the demo agencies."""
    scene = scene_build(world)
    worker = world.user("vn", Role.CASE_WORKER)
    services.task_add(actor=worker, case=scene.a, title="Gọi lại")
    returns.claim_add(actor=worker, case=scene.a, kind=ClaimKind.UNPAID_WAGES, amount=1000)
    people.worker_create(actor=worker, organisation=world.vn, full_name="Lê Văn C")
    registry_demo()
    tracker_seed_load()
    knowledge_seed_load()
    agency = Organisation.objects.filter(kind=OrganisationKind.SENDING_AGENCY).first()
    if agency is not None:
        review_submit(
            organisation=agency,
            stars=dict.fromkeys(STARS, 3),
            text="Họ giữ hộ chiếu của tôi",
            language="vi",
            client="fuzz",
        )


def _visitors(world: World) -> list[tuple[str, User | None]]:
    return [
        ("anonymous", None),
        ("case worker", world.user("vn", Role.CASE_WORKER)),
        ("organisation admin", world.user("vn", Role.ORGANISATION_ADMIN)),
        ("platform staff", world.users["staff"]),
    ]


@pytest.mark.django_db
def test_every_page_form_survives_generated_values(
    world: World, settings: SettingsWrapper, capsys: Any
) -> None:
    settings.FAIRPASSAGE_RATE_LIMITS = {"grievance": 10**6, "track": 10**6, "message": 10**6}
    _scene(world)
    fuzzed: dict[tuple[str, tuple[str, ...]], Form] = {}
    failures: list[str] = []
    staff = Client()
    login_verified(staff, world.users["staff"])
    start = _start_pages(staff)  # filled once; each visitor crawls on from them
    for who, user in _visitors(world):
        client = Client()
        if user is not None:
            login_verified(client, user)
        forms: dict[tuple[str, tuple[str, ...]], Form] = {}
        for form in _crawl(client, start):
            if not SKIP_ACTIONS.search(form.action):
                forms.setdefault(form.key, form)
        for key, form in forms.items():
            if key in fuzzed:
                continue
            fuzzed[key] = form
            try:
                _fuzz_form(client, user, form, who)
            except Exception as error:
                failures.append(f"{who} {key[0]}: {type(error).__name__}: {str(error)[:300]}")
    fields = sum(len(f.fields) for f in fuzzed.values())
    with capsys.disabled():
        print(f"\nform fuzzing: {len(fuzzed)} forms, {fields} fields, {EXAMPLES} examples each")
        for key in sorted(fuzzed):
            print(f"  {key[0]} {list(key[1])}")
    assert not failures, "\n".join(failures)
    assert len(fuzzed) >= 20, sorted(k[0] for k in fuzzed)


def _fuzz_form(client: Client, user: User | None, form: Form, who: str) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        ratelimit.reset()
        values = {name: _value(data, f) for name, f in form.fields.items()}
        before = _counts()
        response = _post(client, form, values)
        where = f"{who}: {form.action} {sorted(values)}"
        assert response.status_code < 500, where
        if _refused(response):
            after = _counts()
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            assert not changed, f"{where}: refused, yet stored {changed}"
        if user is not None and not client.session.get("_auth_user_id"):
            login_verified(client, user)  # a form that signs out (none should be fuzzed)

    run()
