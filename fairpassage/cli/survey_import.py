"""`fairpassage survey-import`: import survey exports into a survey, as the survey page does.

The files go through the same service as an upload on the page (``import_run``: stored encrypted,
read, checked, stored all-or-nothing, the result computed), only synchronously. ``--dry-run``
reads and checks them with ``import_check`` and stores nothing. The summary is JSON on standard
output; progress and the verdict go to standard error. Bad input exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fairpassage.cli.base import EXIT_BAD_INPUT, LANGUAGES, CommandError, Subcommands, setup_django

if TYPE_CHECKING:
    from fairpassage.core.models import Organisation
    from fairpassage.stats.canonical import Canonical
    from fairpassage.surveys.models import ColumnMapping, Survey, SurveyImport

FORMATS = {"kobo-csv": "kobo_csv", "kobo-xlsx": "kobo_xlsx", "odk-csv": "odk_csv"}
SHOWN_PROBLEMS = 20  # problems written to standard error; the JSON lists all of them
EXIT_FAILED = 1


def register(commands: Subcommands) -> None:
    sub = commands.add_parser(
        "survey-import",
        help="import KoboToolbox or ODK Central exports into a survey; all or nothing, "
        "with a row-by-row report (JSON)",
    )
    sub.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="the export: one Kobo XLSX or CSV, or ODK Central's main CSV and its repeat CSVs",
    )
    sub.add_argument(
        "--organisation", required=True, metavar="SLUG", help="the organisation's short name"
    )
    sub.add_argument(
        "--survey",
        required=True,
        metavar="NAME_OR_ID",
        help="the survey's number, or its title; a survey with a new title is created",
    )
    sub.add_argument(
        "--format",
        metavar="FORMAT",
        help=f"one of {', '.join(FORMATS)} (default: recognised from the files)",
    )
    sub.add_argument(
        "--mapping",
        metavar="NAME",
        help="another questionnaire: the organisation's saved column mapping of this name",
    )
    sub.add_argument(
        "--dry-run", action="store_true", help="read and check the files; store nothing"
    )
    sub.add_argument(
        "--currency",
        metavar="CODE",
        help="for a new survey: the currency of its results (default JPY)",
    )
    sub.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="CODE=X",
        help="for a new survey: X units of its currency per 1 CODE (repeatable)",
    )
    sub.add_argument(
        "--rates-source", metavar="TEXT", help="for a new survey: source and date of the rates"
    )
    sub.add_argument(
        "--lang",
        dest="report_lang",
        choices=LANGUAGES,
        help="language of messages and reasons (default: the command's --lang)",
    )
    sub.set_defaults(handler=run)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} kB"


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _read_files(paths: list[Path]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in paths:
        if path.name in files:
            raise CommandError(
                _("%(file)s: two files have this name; an export's files have different names")
                % {"file": path}
            )
        try:
            files[path.name] = path.read_bytes()
        except FileNotFoundError as error:
            raise CommandError(_("%(file)s: no such file") % {"file": path}) from error
        except OSError as error:
            raise CommandError(
                _("%(file)s: cannot be read (%(reason)s)")
                % {"file": path, "reason": error.strerror or type(error).__name__}
            ) from error
        _say(
            _("read %(file)s (%(size)s)")
            % {"file": path.name, "size": _size(len(files[path.name]))}
        )
    return files


def _format(args: argparse.Namespace) -> str:
    from fairpassage.surveys.models import ImportFormat  # noqa: PLC0415 - needs Django

    if args.mapping is not None:
        if args.format is not None:
            raise CommandError(
                _("--format: leave it out with --mapping (a mapped questionnaire is one file)")
            )
        return str(ImportFormat.MAPPED)
    if args.format is None:
        return str(ImportFormat.AUTO)
    fmt = FORMATS.get(args.format.strip().lower().replace("_", "-"))
    if fmt is None:
        raise CommandError(
            _("--format: %(value)s is not a format we read; use one of %(formats)s")
            % {"value": args.format, "formats": ", ".join(FORMATS)}
        )
    return fmt


def _organisation(slug: str) -> Organisation:
    from fairpassage.core.models import Organisation  # noqa: PLC0415 - needs Django

    found = Organisation.objects.filter(slug=slug.strip()).first()
    if found is None:
        raise CommandError(_("--organisation: no organisation %(slug)s") % {"slug": slug})
    return found


def _mapping(organisation: Organisation, name: str | None) -> ColumnMapping | None:
    if name is None:
        return None
    from fairpassage.surveys.selectors import mappings_for  # noqa: PLC0415 - needs Django

    found = mappings_for(organisation=organisation).filter(name=name.strip()).first()
    if found is None:
        raise CommandError(
            _("--mapping: %(organisation)s has no saved column mapping %(name)s")
            % {"organisation": organisation.slug, "name": name}
        )
    return found


def _survey(organisation: Organisation, text: str) -> Survey | None:
    """The organisation's survey of this number or title; None when no survey has the title."""
    from fairpassage.surveys.models import Survey  # noqa: PLC0415 - needs Django

    text = text.strip()
    if not text:
        raise CommandError(_("--survey: give the survey's number or title"))
    surveys = Survey.objects.filter(organisation=organisation)
    if text.isdigit():
        found = surveys.filter(pk=int(text)).first()
        if found is None:
            raise CommandError(
                _("--survey: %(organisation)s has no survey number %(id)s")
                % {"organisation": organisation.slug, "id": text}
            )
        return found
    same_title = list(surveys.filter(title=text)[:10])
    if len(same_title) > 1:
        raise CommandError(
            _(
                "--survey: %(organisation)s has several surveys titled %(title)s; give the number "
                "of one: %(ids)s"
            )
            % {
                "organisation": organisation.slug,
                "title": text,
                "ids": ", ".join(str(s.pk) for s in same_title),
            }
        )
    return same_title[0] if same_title else None


def _new_survey_options(args: argparse.Namespace, survey: Survey | None) -> None:
    given = [
        option
        for option, value in (
            ("--currency", args.currency),
            ("--rate", args.rate),
            ("--rates-source", args.rates_source),
        )
        if value
    ]
    if survey is not None and given:
        raise CommandError(
            _(
                "%(option)s: survey %(id)s exists already; its currency and rates are changed "
                "on its page, not here"
            )
            % {"option": given[0], "id": survey.pk}
        )


def _rows(
    problems: list[dict[str, Any]], files: list[str], lang: str, *, blocking: bool
) -> list[dict[str, Any]]:
    """Each row not used, with its file (and sheet, for a workbook), row, column and reason."""
    from fairpassage.surveys.presenters import problems_text  # noqa: PLC0415 - needs Django

    def where(source: str) -> tuple[str, str | None]:
        if source in files or len(files) != 1:
            return source, None
        return files[0], source  # a workbook's sheet

    return [
        {
            "file": where(p["source"])[0],
            "sheet": where(p["source"])[1],
            "row": p["row"],
            "column": p["column"],
            "code": p["code"],
            "reason": p["message"],
            "blocking": blocking,
        }
        for p in problems_text(problems, lang)
    ]


def _summary(
    *,
    args: argparse.Namespace,
    lang: str,
    organisation: Organisation,
    survey: Survey | None,
    created: bool,
    files: dict[str, bytes],
    fmt: str,
    status: str,
    problems: list[dict[str, Any]],
    skipped: list[dict[str, Any]],
    respondents: int,
    items: int,
    record: SurveyImport | None = None,
) -> dict[str, Any]:
    from fairpassage.stats.exports import detect  # noqa: PLC0415
    from fairpassage.surveys.models import ImportFormat  # noqa: PLC0415 - needs Django

    result = record.results.first() if record is not None else None
    ok = not problems and status != "failed"
    return {
        "status": status,
        "dry_run": args.dry_run,
        "organisation": organisation.slug,
        "survey": {
            "id": survey.pk if survey is not None else None,
            "title": survey.title if survey is not None else args.survey.strip(),
            "created": created,
        },
        "import": record.pk if record is not None else None,
        "result": result.pk if result is not None else None,
        "format": detect(files) if fmt == ImportFormat.AUTO else fmt,
        "files": sorted(files),
        # respondent rows: those kept and those left out (no consent); a rejected import
        # keeps no table, so its count is not known
        "rows_read": respondents + len(skipped) if ok else None,
        "cost_items_read": items if ok else None,
        "rows_imported": respondents if ok and not args.dry_run else 0,
        "cost_items_imported": items if ok and not args.dry_run else 0,
        "rows_not_used": _rows(problems, sorted(files), lang, blocking=True)
        + _rows(skipped, sorted(files), lang, blocking=False),
    }


def _write(summary: dict[str, Any]) -> None:
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _verdict(summary: dict[str, Any]) -> int:
    blocking = [row for row in summary["rows_not_used"] if row["blocking"]]
    if summary["status"] == "failed":
        _say(
            _("fairpassage: the import failed on our side; nothing was imported (import %(id)s).")
            % {"id": summary["import"]}
        )
        return EXIT_FAILED
    if blocking:
        for row in blocking[:SHOWN_PROBLEMS]:
            place = {**row, "column": row["column"] or "—"}
            if row["sheet"]:
                line = _("%(file)s, sheet %(sheet)s, row %(row)s, column %(column)s: %(reason)s")
            else:
                line = _("%(file)s, row %(row)s, column %(column)s: %(reason)s")
            _say(line % place)
        if len(blocking) > SHOWN_PROBLEMS:
            _say(
                _("… and %(n)s more (see the JSON report)") % {"n": len(blocking) - SHOWN_PROBLEMS}
            )
        found = ngettext(
            "fairpassage: %(n)s problem found; nothing was imported.",
            "fairpassage: %(n)s problems found; nothing was imported.",
            len(blocking),
        )
        _say(found % {"n": len(blocking)})
        return EXIT_BAD_INPUT
    left_out = len(summary["rows_not_used"])
    verb = _("Checked (dry run, nothing stored)") if summary["dry_run"] else _("Imported")
    _say(
        _("%(verb)s: %(rows)s respondents, %(items)s cost items, %(left)s left out.")
        % {
            "verb": verb,
            "rows": summary["rows_read"] - left_out,
            "items": summary["cost_items_read"],
            "left": left_out,
        }
    )
    return 0


def _progress(started: float) -> Any:
    labels = {
        "reading": _("reading and checking the rows…"),
        "computing": _("computing the indicator…"),
    }

    def tell(step: str) -> None:
        _say(f"[{time.monotonic() - started:5.1f} s] {labels.get(step, step)}")

    return tell


def run(args: argparse.Namespace) -> int:
    lang = args.report_lang or args.lang
    setup_django(lang)
    from fairpassage.surveys import services  # noqa: PLC0415 - needs Django

    started = time.monotonic()
    organisation = _organisation(args.organisation)
    fmt = _format(args)
    mapping = _mapping(organisation, args.mapping)
    survey = _survey(organisation, args.survey)
    _new_survey_options(args, survey)
    rates = services.parse_rates(",".join(args.rate))
    files = _read_files(args.files)
    common = {"args": args, "lang": lang, "organisation": organisation, "files": files}
    if args.dry_run:
        tell = _progress(started)
        tell("reading")
        canonical: Canonical = services.import_check(
            actor=None, organisation=organisation, files=files, fmt=fmt, mapping=mapping
        )
        summary = _summary(
            **common,
            survey=survey,
            created=False,
            fmt=fmt,
            status="checked" if canonical.ok else "rejected",
            problems=[p.as_dict() for p in canonical.problems],
            skipped=[p.as_dict() for p in canonical.skipped],
            respondents=canonical.respondents.height,
            items=canonical.items.height,
        )
    else:
        # the upload is checked before a new survey is created, so bad options create nothing
        services.upload_check(
            actor=None, organisation=organisation, files=files, fmt=fmt, mapping=mapping
        )
        created = survey is None
        if survey is None:
            survey = services.survey_create(
                actor=None,
                organisation=organisation,
                title=args.survey,
                currency=args.currency or "JPY",
                rates=rates,
                rates_source=args.rates_source or "",
                via=services.COMMAND_LINE,
            )
            _say(_("created survey %(id)s, %(title)s") % {"id": survey.pk, "title": survey.title})
        record = services.import_run(
            actor=None,
            survey=survey,
            files=files,
            fmt=fmt,
            mapping=mapping,
            via=services.COMMAND_LINE,
            progress=_progress(started),
        )
        summary = _summary(
            **common,
            survey=survey,
            created=created,
            fmt=fmt,
            status=str(record.status),
            problems=record.problems,
            skipped=record.skipped,
            respondents=record.respondents,
            items=record.items,
            record=record,
        )
    _write(summary)
    return _verdict(summary)
