"""The review queue, a review with its decide form, and the decisions register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from aiom.core.errors import InvalidInput
from aiom.governance import reviews
from aiom.governance.models import Outcome, ReviewRequest
from aiom.governance.review_queries import decisions_visible_to, queue_for, reviews_visible_to


def _visible(request: HttpRequest, pk: int) -> ReviewRequest:
    review = reviews_visible_to(request.user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such review, or not one you may see.")
    return review


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


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _visible(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            reviews.decide(
                actor=request.user,
                review=review,
                outcome=request.POST.get("outcome", ""),
                rationale=request.POST.get("rationale", ""),
                conditions=request.POST.get("conditions", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, "Decision recorded.")
            return redirect("reviews:detail", pk=pk)
        review = _visible(request, pk)
    return render(
        request,
        "governance/review_detail.html",
        {
            "review": review,
            "uc": review.use_case,
            "slot": reviews.slot_for(request.user, review) if review.status == "open" else None,
            "conflicted": reviews.conflicted(request.user.pk, review.use_case),
            "outcomes": Outcome.choices,
            "errors": errors,
            "posted": request.POST,
        },
        status=422 if errors else 200,
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    outcome = request.GET.get("outcome", "")
    found = decisions_visible_to(request.user)
    if outcome in Outcome.values:
        found = found.filter(outcome=outcome)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/decisions.html",
        {
            "page": page,
            "outcome": outcome,
            "outcomes": Outcome.choices,
        },
    )
