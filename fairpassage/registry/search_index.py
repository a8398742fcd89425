"""The agency search index shared by every application server.

A registry change (an import, a sanction, a new organisation) bumps :class:`RegistryVersion` and,
on commit, enqueues :func:`fairpassage.registry.tasks.search_index_build_task`. A worker builds
the index (``text.match.Index``, about 16 s per 100,000 organisations) and stores it in
:class:`SearchIndex` with the registry version it was read at. Each server process looks at the
newest stored version at most every ``SEARCH_INDEX_CHECK_SECONDS`` (two indexed one-row queries),
loads a new blob on first use after it changed (a second or two at 100,000 organisations) while
other requests keep answering from the index it already holds, then swaps the reference.

No request ever builds an index. Before the first build exists, search answers from the database
with a plain query (:func:`search_db`) and asks for a build.

The blob is a pickle, which runs code when loaded: it is signed with a key derived from
``SECRET_KEY`` and refused when the signature does not match, so only a process holding the
installation's secret can write an index that servers load.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import logging
import pickle
import secrets
import threading
import time
import zlib
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from fairpassage.core.models import Organisation
from fairpassage.registry.models import Licence, OrganisationName, RegistryVersion, SearchIndex
from fairpassage.text.match import EXACT_LICENCE, EXACT_NAME, Candidate, Index, Match
from fairpassage.text.normalise import licence_key

logger = logging.getLogger(__name__)

#: The blob's first bytes: the format, so that a later format is never unpickled as this one.
MAGIC = b"FPIX1"
#: Stored indexes kept besides the newest (a server still loading the previous one finds it).
KEEP_PREVIOUS = 1
#: How a result found by the plain database query (no index built yet) matched.
DB_SUBSTRING = "db_substring"


@dataclass(frozen=True)
class BuiltIndex:
    index: Index
    country_of: dict[str, str]


class Stored(NamedTuple):
    version: int
    token: str


def build_index() -> BuiltIndex:
    """Read every active organisation with its other names and licence numbers; index them."""
    orgs = Organisation.objects.filter(is_active=True)
    names: dict[int, list[str]] = {}
    readings: dict[int, str] = {}
    for org_id, name, is_reading in OrganisationName.objects.filter(
        organisation__in=orgs
    ).values_list("organisation_id", "name", "is_reading"):
        if is_reading:
            readings[org_id] = name
        else:
            names.setdefault(org_id, []).append(name)
    numbers: dict[int, list[str]] = {}
    for org_id, number in Licence.objects.filter(organisation__in=orgs).values_list(
        "organisation_id", "number"
    ):
        numbers.setdefault(org_id, []).append(number)
    rows = list(orgs.values_list("pk", "name", "name_local", "country"))
    index = Index.build(
        Candidate(
            id=str(pk),
            names=tuple(n for n in (name, local, *names.get(pk, ())) if n),
            licences=tuple(numbers.get(pk, ())),
            reading=readings.get(pk, ""),
        )
        for pk, name, local, _country in rows
    )
    return BuiltIndex(index, {str(pk): country for pk, _n, _l, country in rows})


def _mac(payload: bytes) -> bytes:
    key = hashlib.sha256(b"fairpassage.search-index:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()


def dumps(built: BuiltIndex) -> bytes:
    """The index as a signed, compressed pickle."""
    payload = zlib.compress(pickle.dumps((built.index, built.country_of), protocol=5), 1)
    return MAGIC + _mac(payload) + payload


class IndexRefused(ValueError):
    """A stored blob of another format or with a wrong signature."""


def loads(blob: bytes) -> BuiltIndex:
    """The index of a blob written by :func:`dumps` with this installation's secret."""
    head, mac, payload = blob[: len(MAGIC)], blob[len(MAGIC) : len(MAGIC) + 32], blob[37:]
    if head != MAGIC or not hmac.compare_digest(mac, _mac(payload)):
        raise IndexRefused("search index blob: unknown format or wrong signature")
    # Millions of small objects: the cyclic collector would run many times while they are
    # created (five times slower); none of them is garbage.
    enabled = gc.isenabled()
    gc.disable()
    try:
        index, country_of = pickle.loads(zlib.decompress(payload))  # noqa: S301 - signed above
    finally:
        if enabled:
            gc.enable()
    return BuiltIndex(index, country_of)


def registry_version() -> int:
    value = RegistryVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return int(value or 0)


def latest_stored() -> Stored | None:
    row = SearchIndex.objects.order_by("-version").values_list("version", "token").first()
    return Stored(int(row[0]), str(row[1])) if row else None


def registry_changed() -> None:
    """Bump the registry version; on commit, ask a worker for a new search index."""
    version, _created = RegistryVersion.objects.get_or_create(pk=1)
    RegistryVersion.objects.filter(pk=version.pk).update(value=F("value") + 1)
    transaction.on_commit(search_index_request)


def search_index_request() -> bool:
    """Enqueue one build for the current registry version unless one was already asked for or
    built; True when this call enqueued it."""
    from fairpassage.registry.tasks import search_index_build_task  # noqa: PLC0415 - cycle

    version = registry_version()
    RegistryVersion.objects.get_or_create(pk=1)
    latest = latest_stored()
    if latest is not None and latest.version >= version:
        return False
    asked = RegistryVersion.objects.filter(pk=1, build_requested__lt=version).update(
        build_requested=version
    )
    if not asked:
        return False
    search_index_build_task.enqueue()
    return True


def search_index_build(*, force: bool = False) -> SearchIndex | None:
    """Build the index of the registry as it is now and store it (a worker's task, or the
    command line); None when an index of this version is stored already (unless ``force``).

    No AuditEvent: the index is derived data, rebuilt from the audited registry."""
    version = registry_version()  # read before the rows: a later change asks for its own build
    if not force and SearchIndex.objects.filter(version__gte=version).exists():
        return None
    start = time.perf_counter()
    built = build_index()
    blob = dumps(built)
    seconds = time.perf_counter() - start
    try:
        with transaction.atomic():
            if force:
                SearchIndex.objects.filter(version=version).delete()
            row = SearchIndex.objects.create(
                version=version,
                token=secrets.token_hex(16),
                organisations=len(built.index),
                build_seconds=round(seconds, 3),
                blob=blob,
            )
            older = SearchIndex.objects.filter(version__lt=version).order_by("-version")
            stale = list(older.values_list("pk", flat=True)[KEEP_PREVIOUS:])
            SearchIndex.objects.filter(pk__in=stale).delete()
    except IntegrityError:  # another worker stored this version first
        return None
    return row


def search_db(text: str, *, country: str, limit: int) -> list[Match]:
    """Before any index exists: organisations whose name, other name or licence number holds
    ``text`` as typed (case folded), exact licence numbers and names first."""
    text = text.strip()[:200]
    if not text:
        return []
    key = licence_key(text)
    orgs = Organisation.objects.filter(is_active=True)
    if country:
        orgs = orgs.filter(country=country)
    found = (
        orgs.filter(
            Q(name__icontains=text)
            | Q(name_local__icontains=text)
            | Q(other_names__name__icontains=text)
            | Q(licences__number__icontains=text)
            | (Q(licences__number_key=key) if key else Q(pk__in=[]))
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", "name", "name_local")[: limit * 5]
    )
    by_licence = dict(
        Licence.objects.filter(organisation__in=orgs, number_key=key).values_list(
            "organisation_id", "number"
        )
        if key
        else []
    )
    folded = text.casefold()
    matches = []
    for pk, name, local in found:
        if pk in by_licence:
            matches.append(Match(str(pk), 1.0, EXACT_LICENCE, by_licence[pk]))
        elif folded in (name.casefold(), local.casefold()):
            written = name if folded == name.casefold() else local
            matches.append(Match(str(pk), 1.0, EXACT_NAME, written))
        else:
            matches.append(Match(str(pk), 0.6, DB_SUBSTRING, name))
    matches.sort(key=lambda m: (-m.score, int(m.id)))
    return matches[:limit]


class SharedIndex:
    """One process's view of the shared index: the newest stored version, loaded once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[str, BuiltIndex] | None = None
        self._latest: Stored | None = None
        self._checked_at = float("-inf")
        self._refused: set[str] = set()

    def _check(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < settings.SEARCH_INDEX_CHECK_SECONDS:
            return
        self._checked_at = now
        self._latest = latest_stored()
        stale = self._latest is None or self._latest.version < registry_version()
        # The worker builds it; with the inline backend of the tests it is built by now.
        if stale and search_index_request():
            self._latest = latest_stored()

    def current(self) -> BuiltIndex | None:
        """The newest index this process can answer from, or None before any was built."""
        self._check()
        latest, loaded = self._latest, self._loaded
        if (
            latest is None
            or (loaded is not None and loaded[0] == latest.token)
            or latest.token in self._refused
        ):
            return loaded[1] if loaded else None
        # Only one request loads; the others keep answering from the index already held.
        if self._lock.acquire(blocking=loaded is None):
            try:
                if self._loaded is None or self._loaded[0] != latest.token:
                    blob = (
                        SearchIndex.objects.filter(token=latest.token)
                        .values_list("blob", flat=True)
                        .first()
                    )
                    if blob is not None and latest.token not in self._refused:
                        try:
                            self._loaded = (latest.token, loads(bytes(blob)))
                        except IndexRefused:
                            # Written with another SECRET_KEY (rotated since): never load it;
                            # answer as before until `fairpassage agencies build-index --force`.
                            self._refused.add(latest.token)
                            logger.error("search index %s refused: wrong signature", latest.version)
            finally:
                self._lock.release()
        return self._loaded[1] if self._loaded else None

    def search(self, text: str, *, country: str, limit: int) -> list[Match]:
        built = self.current()
        if built is None:
            return search_db(text, country=country, limit=limit)
        if not country:
            return built.index.search(text, limit=limit)
        wider = built.index.search(text, limit=max(limit * 5, 50))
        return [m for m in wider if built.country_of.get(m.id) == country][:limit]
