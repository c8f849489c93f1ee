"""The public register: a page and three feeds, served without login.

Nothing here touches the session, the user or a CSRF token, so no cookie is set and the
answer is the same for everyone: `Cache-Control: public, max-age=300`, an ETag that is a
hash of exactly what is shown (per format), and Last-Modified. A conditional GET that
matches answers 304 with the same caching headers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from aiom.transparency import feeds
from aiom.transparency.register import Register, last_modified, register
from aiom.transparency.services import transparency_rules

MAX_AGE = 300


def _public(
    request: HttpRequest, fmt: str, build: Callable[[Register], HttpResponse]
) -> HttpResponse:
    _, rules, publishable = transparency_rules()
    reg = register(rules, publishable)
    etag = quote_etag(hashlib.sha256(f"{fmt}:{reg.etag()}".encode()).hexdigest()[:32])
    changed = last_modified()
    stamp = int(changed.timestamp()) if changed else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = build(reg)
    response.headers["ETag"] = etag
    if stamp is not None:
        response.headers["Last-Modified"] = http_date(stamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    # Open data: any site may read the feeds (no credentials are ever involved).
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    def build(reg: Register) -> HttpResponse:
        return render(request, "transparency/public.html", {"register": reg})

    return _public(request, "html", build)


@require_safe
def register_json(request: HttpRequest) -> HttpResponse:
    def build(reg: Register) -> HttpResponse:
        return _file(feeds.to_json(reg), "application/json", "ai-register.json")

    return _public(request, "json", build)


@require_safe
def register_csv(request: HttpRequest) -> HttpResponse:
    def build(reg: Register) -> HttpResponse:
        return _file(feeds.to_public_csv(reg), "text/csv; charset=utf-8", "ai-register.csv")

    return _public(request, "csv", build)


@require_safe
def register_omb_csv(request: HttpRequest) -> HttpResponse:
    def build(reg: Register) -> HttpResponse:
        body = feeds.to_omb_csv(reg)
        return _file(body, "text/csv; charset=utf-8", "ai-register-omb-2025.csv")

    return _public(request, "omb-2025", build)
