"""/api/v1/use-cases and /api/v1/themes."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aiom.core.api_support import require_scope
from aiom.core.typed_responses import paginate_typed, typed_response
from aiom.portfolio import services
from aiom.portfolio.access import NOT_FOUND, use_case_for
from aiom.portfolio.api_rows import use_case_rows
from aiom.portfolio.filters import UseCaseFilter
from aiom.portfolio.models import Theme, UseCase
from aiom.portfolio.schemas import (
    ThemeCreate,
    ThemeOut,
    ThemePatch,
    UseCaseCreate,
    UseCaseOut,
    UseCasePatch,
)

use_cases = Router(tags=["use cases"])
themes = Router(tags=["themes"])


# The list and the get are read as typed columns and written without validating each row
# again (core.typed_responses); `response=` still documents them.
@use_cases.get("", response=list[UseCaseOut], summary="List use cases")
@paginate_typed(use_case_rows)
def list_use_cases(request: HttpRequest, filters: Query[UseCaseFilter]) -> Any:
    return filters.apply(UseCase.objects.visible_to(request.user))


@use_cases.get("/{int:use_case_id}", response=UseCaseOut, summary="Get one use case")
def get_use_case(request: HttpRequest, use_case_id: int) -> HttpResponse:
    one = UseCase.objects.visible_to(request.user).filter(pk=use_case_id).order_by()
    found = use_case_rows(one)
    if not found:
        raise Http404(NOT_FOUND)
    return typed_response(request, found[0])


@use_cases.post("", response={201: UseCaseOut}, summary="Propose a use case")
def create_use_case(request: HttpRequest, payload: UseCaseCreate) -> Status[UseCase]:
    require_scope(request, "write")
    created = services.create_use_case(actor=request.user, **payload.model_dump())
    return Status(201, use_case_for(request, created.pk).use_case)


@use_cases.patch("/{int:use_case_id}", response=UseCaseOut, summary="Change a use case")
def update_use_case(request: HttpRequest, use_case_id: int, payload: UseCasePatch) -> UseCase:
    require_scope(request, "write")
    use_case = use_case_for(request, use_case_id).use_case
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    services.update_use_case(
        actor=request.user, use_case=use_case, expected_version=version, **changes
    )
    return use_case_for(request, use_case_id).use_case


@themes.get("", response=list[ThemeOut], summary="List strategic themes")
@paginate(LimitOffsetPagination)
def list_themes(request: HttpRequest) -> Any:
    return Theme.objects.all()


@themes.get("/{int:theme_id}", response=ThemeOut, summary="Get one theme")
def get_theme(request: HttpRequest, theme_id: int) -> Theme:
    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None:
        raise Http404(f"no theme {theme_id}")
    return theme


@themes.post("", response={201: ThemeOut}, summary="Add a strategic theme (administrators)")
def create_theme(request: HttpRequest, payload: ThemeCreate) -> Status[Theme]:
    require_scope(request, "write")
    return Status(201, services.create_theme(actor=request.user, **payload.model_dump()))


@themes.patch("/{int:theme_id}", response=ThemeOut, summary="Change a theme (administrators)")
def update_theme(request: HttpRequest, theme_id: int, payload: ThemePatch) -> Theme:
    require_scope(request, "write")
    return services.update_theme(
        actor=request.user,
        theme=get_theme(request, theme_id),
        **payload.model_dump(exclude_unset=True),
    )
