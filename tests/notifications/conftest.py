"""Overdue situations built row by row, and a real HTTP receiver on 127.0.0.1.

Use cases and people come through services; pilot plans, reviews and assessments are
made with the ORM (the lifecycle services are not the subject here). The receiver is a
`ThreadingHTTPServer` on an ephemeral port of 127.0.0.1 that answers from a script.
"""

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from aiom.core import signed_posts
from aiom.governance.models import ReviewRequest, RiskAssessment
from aiom.governance.policy.versions import active_policy
from aiom.lifecycle.models import PilotPlan
from aiom.portfolio import services as portfolio
from aiom.portfolio.models import UseCase
from tests.conftest import World

SECRET = "test-webhook-secret"
TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def make_use_case(
    world: World,
    title: str,
    *,
    stage: str = "intake",
    entered: dt.date | None = None,
    sponsor: User | None = None,
    **fields: Any,
) -> UseCase:
    """Alice's use case in Retail Banking, in `stage` since `entered` (today by default)."""
    entered = entered or TODAY
    return portfolio.create_use_case(
        actor=world.alice,
        title=title,
        org_unit=fields.pop("org_unit", world.retail),
        owner=world.alice,
        sponsor=sponsor,
        stage=stage,
        proposed_on=entered,
        stage_entered_on=entered,
        **fields,
    )


def make_pilot(uc: UseCase, ends_on: dt.date, decision: str = "") -> PilotPlan:
    return PilotPlan.objects.create(
        use_case=uc,
        exit_criteria=[{"metric": "handling time", "baseline": 9, "target": 7}],
        starts_on=ends_on - dt.timedelta(days=90),
        ends_on=ends_on,
        original_ends_on=ends_on,
        decision=decision,
        policy_version=active_policy().version,
    )


def make_review(
    uc: UseCase, due_on: dt.date, approvers: list[dict[str, Any]], status: str = "open"
) -> ReviewRequest:
    return ReviewRequest.objects.create(
        use_case=uc,
        from_stage="risk_review",
        to_stage="pilot",
        tier="high",
        structure="federated",
        approvers=approvers,
        status=status,
        policy_version=active_policy().version,
        requested_at=timezone.now() - dt.timedelta(days=30),
        due_on=due_on,
    )


def make_assessment(
    uc: UseCase, assessed_on: dt.date, tier: str = "medium", **fields: Any
) -> RiskAssessment:
    """An assessment made at noon of `assessed_on` (local time)."""
    noon = dt.datetime.combine(assessed_on, dt.time(12), tzinfo=timezone.get_current_timezone())
    zero = Decimal(0)
    return RiskAssessment.objects.create(
        use_case=uc,
        answers={},
        impact_raw=zero,
        impact_max=Decimal(10),
        mitigation_raw=zero,
        mitigation_max=Decimal(10),
        score=zero,
        computed_tier=tier,
        tier=tier,
        decided_by="test",
        policy_version=active_policy().version,
        stage_at_assessment=uc.stage,
        assessed_at=noon,
        **fields,
    )


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST from `script` (a status code, or seconds to sleep), then 200."""

    url: str = ""
    script: list[int | float] = field(default_factory=list)
    always: int | None = None
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self, received: Received) -> int | float:
        with self.lock:
            self.requests.append(received)
            if self.script:
                return self.script.pop(0)
            return 200 if self.always is None else self.always


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            answer = receiver.next_answer(Received(dict(self.headers.items()), body))
            status = 200
            if isinstance(answer, float):
                time.sleep(answer)
            else:
                status = answer
            try:
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """A live HTTP receiver on 127.0.0.1 (never any other address), stopped afterwards."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    signed_posts.opener.cache_clear()  # rebuilt without any proxy from the environment
    rec = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(rec))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    rec.url = f"http://127.0.0.1:{server.server_port}/hooks/aiom"
    yield rec
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def hooks(settings: Any, receiver: Receiver) -> Receiver:
    """Webhooks on, pointed at the receiver, with pauses short enough for a test."""
    settings.AIOM_WEBHOOK_URLS = [receiver.url]
    settings.AIOM_WEBHOOK_SECRET = SECRET
    settings.AIOM_WEBHOOK_TIMEOUT = 2.0
    settings.AIOM_WEBHOOK_RETRIES = 3
    settings.AIOM_WEBHOOK_BACKOFF_SECONDS = 0.01
    return receiver
