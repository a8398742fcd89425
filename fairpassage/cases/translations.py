"""Two languages on one case (issue 16, item 5): a person's translation of the statement, a
message or a note, kept beside the original and marked as a translation with who made it.

No machine translation: every translation is written by a staff member. Writes here follow the
services' rules (access checked, one transaction, an AuditEvent and a timeline event without
personal data); reads give each text with its translations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fairpassage.cases.access import CaseAccess
from fairpassage.cases.choices import MessageSender, Part
from fairpassage.cases.models import Case, Message, Note, Translation
from fairpassage.cases.services import LANGUAGE_CODES, _clean_text, require_access, timeline_add
from fairpassage.core.errors import Forbidden, InvalidInput
from fairpassage.core.models import Membership, Role, User
from fairpassage.core.services import audit_record

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def made_by(translation: Translation) -> str:
    """Who made it, by role and organisation (never by name)."""
    org = translation.organisation
    if translation.author_role == Role.ORGANISATION_ADMIN:
        return _("an administrator of %(org)s") % {"org": org}
    if translation.author_role == Role.CASE_WORKER:
        return _("a case worker of %(org)s") % {"org": org}
    return _("a member of %(org)s") % {"org": org}


@transaction.atomic
def translation_add(
    *,
    actor: User,
    case: Case,
    language: str,
    body: str,
    message: Message | None = None,
    note: Note | None = None,
) -> Translation:
    """Attach ``actor``'s translation into ``language`` of the statement (neither ``message``
    nor ``note``), a message or a note. Whoever may write on the case and sees the original may
    translate it; the translation is kept encrypted beside it."""
    if message is not None and note is not None:
        raise InvalidInput(_("Translate one text at a time."), field="target")
    if (message is not None and message.case_id != case.pk) or (
        note is not None and note.case_id != case.pk
    ):
        raise InvalidInput(_("Choose a text of this case."), field="target")
    part = (
        Part.MESSAGES if message is not None else Part.NOTES if note is not None else Part.STATEMENT
    )
    access = require_access(actor=actor, case=case, write=True)
    organisation = access.organisation
    if organisation is None:
        raise Forbidden(_("Route the case to an organisation before translating."))
    own_note = note is not None and note.organisation_id == organisation.pk
    if not (access.sees(part) or own_note):
        raise Forbidden(_("The worker's consent does not cover this part of the case."))
    original = message.language if message else note.language if note else case.language
    if language not in LANGUAGE_CODES:
        raise InvalidInput(_("Choose the language of the translation."), field="language")
    if language == original:
        raise InvalidInput(
            _("The text is already in this language: choose another one."), field="language"
        )
    body = _clean_text(body, field="body", required=True)
    role = (
        Membership.objects.filter(user=actor, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )
    translation = Translation.objects.create(
        case=case,
        message=message,
        note=note,
        language=language,
        body=body,
        author=actor,
        organisation=organisation,
        author_role=role or "",
    )
    data = {"of": translation.of, "from": original, "to": language}
    timeline_add(case=case, kind="translation", actor=actor, organisation=organisation, data=data)
    audit_record(
        actor=actor,
        action="case.translation",
        obj=translation,
        organisation=organisation,
        data=data,
    )
    return translation


# --- reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A translation as a page shows it."""

    body: str
    language: str
    made_by: str
    at: Any

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def _shown(t: Translation) -> Shown:
    return Shown(t.body, t.language, made_by(t), t.created_at)


@dataclass(frozen=True)
class Text:
    """An original text with its language and the translations kept beside it."""

    body: str
    language: str
    translations: list[Shown]
    obj: Any = None  # the Message or Note, when it is one

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def texts_of_case(access: CaseAccess, view: dict[str, Any]) -> dict[str, Any]:
    """The statement, messages and notes ``view`` shows, each with its translations (the same
    visibility as the original: a translation travels with its text)."""
    case = access.case
    found = list(
        Translation.objects.filter(case=case)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    by_message: dict[int, list[Shown]] = {}
    by_note: dict[int, list[Shown]] = {}
    statement: list[Shown] = []
    for t in found:
        if t.message_id:
            by_message.setdefault(t.message_id, []).append(_shown(t))
        elif t.note_id:
            by_note.setdefault(t.note_id, []).append(_shown(t))
        else:
            statement.append(_shown(t))
    out: dict[str, Any] = {}
    if view.get("statement") is not None:
        out["statement_text"] = Text(view["statement"], case.language, statement)
    if view.get("thread") is not None:
        out["thread_texts"] = [
            Text(m.body, m.language, by_message.get(m.pk, []), m) for m in view["thread"]
        ]
    out["note_texts"] = [
        Text(n.body, n.language, by_note.get(n.pk, []), n) for n in view.get("notes", [])
    ]
    return out


@dataclass(frozen=True)
class WorkerMessage:
    """A message as the worker's tracking page shows it: in the worker's language when a
    translation into it exists, with the original beside it."""

    mine: bool
    body: str
    at: Any
    language: str
    original: str = ""
    original_language: str = ""
    translated_by: str = ""

    @property
    def original_language_name(self) -> str:
        return language_name(self.original_language)


def worker_thread(*, case: Case, language: str) -> list[WorkerMessage]:
    """The thread for the tracking page in ``language`` (the worker's page language)."""
    messages = list(case.messages.prefetch_related("translations__organisation"))
    out = []
    for m in messages:
        mine = m.sender == MessageSender.GRIEVANT
        into = [t for t in m.translations.all() if t.language == language]
        if mine or m.language == language or not into:
            out.append(WorkerMessage(mine, m.body, m.created_at, m.language))
            continue
        latest = into[-1]
        out.append(
            WorkerMessage(
                mine,
                latest.body,
                m.created_at,
                language,
                original=m.body,
                original_language=m.language,
                translated_by=made_by(latest),
            )
        )
    return out
