"""Adding and changing registry records from the web: one form page for every kind."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from aiom.core.errors import InvalidInput, PermissionDenied
from aiom.technology import permissions, services
from aiom.technology.access import record_for
from aiom.technology.models import AIModel, Platform, Vendor
from aiom.technology.record_forms import FORMS, initial, service_fields

KINDS: dict[str, type[AIModel | Platform | Vendor]] = {
    "models": AIModel,
    "platforms": Platform,
    "vendors": Vendor,
}
DETAIL = {AIModel: "technology:model", Platform: "technology:platform", Vendor: "technology:vendor"}
CREATE = {
    AIModel: services.create_model,
    Platform: services.create_platform,
    Vendor: services.create_vendor,
}


def _kind(kind: str) -> type[AIModel | Platform | Vendor]:
    if kind not in KINDS:
        raise Http404("No such kind of registry record.")
    return KINDS[kind]


def _form_page(
    request: HttpRequest, model: type[models.Model], record: Any, kind: str
) -> HttpResponse:
    form_class = FORMS[model]
    start = initial(record) if record is not None else None
    form = form_class(request.POST or None, initial=start)
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                saved = CREATE[model](actor=request.user, **service_fields(form))
            else:
                fields = service_fields(form)
                saved = services.update_record(actor=request.user, record=record, **fields)
        except InvalidInput as exc:
            exc.add_to(form)
        else:
            messages.success(request, f"“{saved}” saved.")
            return redirect(DETAIL[model], pk=saved.pk)
    context = {
        "form": form,
        "record": record,
        "kind": kind,
        "what": services.KIND[model],
    }
    return render(request, "technology/form.html", context, status=422 if form.errors else 200)


@login_required
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    model = _kind(kind)
    if not permissions.can_curate(request.user):
        raise PermissionDenied("only administrators and AI experts add registry records")
    return _form_page(request, model, None, kind)


@login_required
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = _kind(kind)
    access = record_for(request, model, pk)
    if not access.may_change:
        raise PermissionDenied("only its keeper, administrators and AI experts change it")
    return _form_page(request, model, access.record, kind)
