"""The review queue, a review with its decide form, and the decisions register."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aiom.core.errors import InvalidInput
from aiom.governance.models import Outcome
from aiom.governance.review_access import condition_for, review_for
from aiom.governance.reviews import conditions as review_conditions
from aiom.governance.reviews import services as reviews
from aiom.governance.reviews.brief import brief
from aiom.governance.reviews.queries import decisions_visible_to, queue_for, reviews_visible_to
from aiom.lifecycle.models import GateOverride
from aiom.portfolio import permissions
from aiom.portfolio.models import UseCase

User = get_user_model()
CONDITION_ROWS = 3
OVERRIDES_SHOWN = 50


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    mine = queue_for(request.user)
    open_reviews = reviews_visible_to(request.user).filter(status="open").order_by("due_on")
    return render(
        request,
        "governance/review_queue.html",
        {
            "mine": mine,
            "open_reviews": open_reviews[:200],
        },
    )


def _conditions_from(post: Any) -> str | list[dict[str, Any]]:
    """The decide form's condition rows; a form without rows may post the old free text."""
    rows = [
        {
            "text": post.get(f"condition_text_{i}", "").strip(),
            "owner": post.get(f"condition_owner_{i}", ""),
            "due_on": post.get(f"condition_due_{i}", ""),
        }
        for i in range(CONDITION_ROWS)
    ]
    filled = [r for r in rows if r["text"] or r["due_on"]]
    return filled if filled else str(post.get("conditions", ""))


def _owner_choices(uc: UseCase) -> list[Any]:
    """Who may own a condition: the use case's people and its unit's members."""
    people = User.objects.filter(is_active=True).filter(
        Q(pk__in=[uc.owner_id, uc.sponsor_id]) | Q(person__org_unit=uc.org_unit_id)
    )
    return list(people.order_by("first_name", "last_name", "username")[:200])


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = review_for(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            reviews.decide(
                actor=request.user,
                review=access.review,
                outcome=request.POST.get("outcome", ""),
                rationale=request.POST.get("rationale", ""),
                conditions=_conditions_from(request.POST),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, "Decision recorded.")
            return redirect("reviews:detail", pk=pk)
        access = review_for(request, pk)
    review, slot = access.review, access.slot
    uc = review.use_case
    return render(
        request,
        "governance/review_detail.html",
        {
            "review": review,
            "uc": uc,
            "brief": brief(request.user, review),
            "slot": slot,
            "conflicted": reviews.conflicted(request.user.pk, review),
            "outcomes": Outcome.choices,
            "errors": errors,
            "posted": request.POST,
            "condition_rows": range(CONDITION_ROWS),
            "owner_choices": _owner_choices(uc) if slot else [],
            "can_edit": permissions.can_edit(request.user, uc),
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def close_condition(request: HttpRequest, pk: int) -> HttpResponse:
    found = condition_for(request, pk)
    try:
        review_conditions.close_condition(
            actor=request.user,
            condition=found,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, f"The condition was not closed: {exc.sentence}")
    else:
        messages.success(request, f"Condition {found.text[:60]!r} closed.")
    target = request.POST.get("next", "")
    if target == "use_case":
        return redirect("portfolio:detail", pk=found.use_case_id)
    return redirect("reviews:detail", pk=found.review_id)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    outcome = request.GET.get("outcome", "")
    found = decisions_visible_to(request.user)
    if outcome in Outcome.values:
        found = found.filter(outcome=outcome)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    visible = UseCase.objects.visible_to(request.user).values("pk")
    overrides = (
        GateOverride.objects.filter(use_case__in=visible)
        .select_related("use_case__org_unit", "stage_change")
        .order_by("-at", "-id")[:OVERRIDES_SHOWN]
    )
    return render(
        request,
        "governance/decisions.html",
        {
            "page": page,
            "outcome": outcome,
            "outcomes": Outcome.choices,
            "overrides": overrides,
        },
    )
