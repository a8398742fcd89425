"""Survey pages for analysts and administrators: surveys, uploads, the indicator, downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fairpassage.core import queue
from fairpassage.core.errors import Forbidden, InvalidInput, NotFound
from fairpassage.core.models import User
from fairpassage.surveys import presenters, selectors, services
from fairpassage.surveys.forms import MappingForm, SurveyForm, UploadForm
from fairpassage.surveys.models import ImportStatus
from fairpassage.web.pdf import render_pdf

REPORT_CSS = Path(__file__).resolve().parent / "static" / "surveys" / "report.css"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not selectors.may_use_surveys(user=user):
        raise Forbidden()
    return user


def _lang() -> str:
    return (get_language() or "vi")[:2]


def _attach(form: Any, error: InvalidInput) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.rendered_message())


@login_required
@require_safe
def survey_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    surveys = selectors.surveys_visible(user=user)
    return render(request, "surveys/list.html", {"surveys": surveys})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisations = selectors.survey_organisations(user=user)
    form = SurveyForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=user,
                organisation=data["organisation"],
                title=data["title"],
                currency=data["currency"],
                rates=services.parse_rates(data["rates"]),
                rates_source=data["rates_source"],
                breakdowns=services.parse_breakdowns(",".join(data["breakdowns"])),
                min_cell=data["min_cell"],
            )
        except InvalidInput as error:
            _attach(form, error)
        else:
            return redirect("surveys:detail", pk=survey.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "surveys/new.html", {"form": form}, status=status)


def _detail_context(survey: Any, upload: UploadForm) -> dict[str, Any]:
    result = selectors.latest_result(survey=survey)
    context: dict[str, Any] = {"survey": survey, "upload": upload, "result": result}
    context["imports"] = survey.imports.all()[:10]
    if result is not None:
        context["rows"] = presenters.table_rows(result.report)
        context["chart"] = presenters.group_chart(result.report)
        context["distribution"] = presenters.distribution_chart(result.distribution)
        context["descriptive"] = presenters.descriptive_rows(result.descriptive)
    return context


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey = selectors.survey_get(user=user, pk=pk)
    mappings = selectors.mappings_for(organisation=survey.organisation)
    upload = UploadForm(request.POST or None, request.FILES or None, mappings=mappings)
    if request.method == "POST" and upload.is_valid():
        files = {f.name or "upload": f.read() for f in upload.cleaned_data["exports"]}
        try:
            record = services.import_start(
                actor=user,
                survey=survey,
                files=files,
                fmt=upload.cleaned_data["format"],
                mapping=upload.cleaned_data["mapping"],
            )
        except InvalidInput as error:
            _attach(upload, error)
        else:
            return redirect("surveys:import", pk=record.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "surveys/detail.html", _detail_context(survey, upload), status=status)


@login_required
@require_safe
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    queue.tasks_recover()  # an import whose worker died shows it, even while no worker runs
    record = services.import_fail_if_lost(record=selectors.import_get(user=user, pk=pk))
    running = record.status in (ImportStatus.PENDING, ImportStatus.PROCESSING)
    context = {
        "record": record,
        "running": running,
        "stopped": record.problem == services.WORKER_STOPPED,
        "can_restart": services.import_restartable(record),
        "problems": presenters.problems_text(record.problems, _lang()),
        "skipped": presenters.problems_text(record.skipped, _lang()),
    }
    return render(request, "surveys/import.html", context)


@login_required
@require_POST
def import_restart(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    record = selectors.import_get(user=user, pk=pk)
    services.import_restart(actor=user, record=record)  # refusals: the error page
    return redirect("surveys:import", pk=record.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mapping_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    survey = selectors.survey_get(user=user, pk=pk)
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_save(
                actor=user,
                organisation=survey.organisation,
                name=form.cleaned_data["name"],
                mapping=form.cleaned_data["mapping"],
            )
        except InvalidInput as error:
            _attach(form, error)
        else:
            return redirect("surveys:detail", pk=survey.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "survey": survey}
    return render(request, "surveys/mapping.html", context, status=status)


@login_required
@require_safe
def result_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = _user(request)
    survey = selectors.survey_get(user=user, pk=pk)
    result = selectors.latest_result(survey=survey)
    if result is None:
        raise NotFound()
    stem = f"sdg-10-7-1-survey-{survey.pk}"
    if kind == "csv":
        response = HttpResponse(presenters.as_csv(result.report), content_type="text/csv")
    elif kind == "xlsx":
        response = HttpResponse(
            presenters.as_xlsx(result.report, result.descriptive),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif kind == "pdf":
        context = _detail_context(
            survey, UploadForm(mappings=selectors.mappings_for(organisation=survey.organisation))
        )
        context["report_css"] = REPORT_CSS.as_uri()
        response = HttpResponse(
            render_pdf("surveys/report.html", context), content_type="application/pdf"
        )
    else:
        raise NotFound()
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


QUESTIONNAIRE = Path(__file__).resolve().parent / "forms" / "fairpassage_sdg1071.xlsx"


@require_safe
def questionnaire(request: HttpRequest) -> FileResponse:
    """Our XLSForm, to load into KoboToolbox or ODK unchanged (public)."""
    return FileResponse(QUESTIONNAIRE.open("rb"), as_attachment=True, filename=QUESTIONNAIRE.name)
