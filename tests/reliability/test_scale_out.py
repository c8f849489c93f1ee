"""Several stateless `aiom serve` processes over one database: a write through one is read
through the other at once (docs/scale-out.md)."""

import http.client
import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.reliability.procs import Child, must


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def call(port: int, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data) if data else None


@contextmanager
def serving(child: Child) -> Iterator[int]:
    port = free_port()
    proc = child.popen("serve", "--port", str(port), "--workers", "1", "--no-collectstatic")
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                assert time.monotonic() < deadline, "aiom serve did not start"
                time.sleep(0.2)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_write_through_one_server_is_read_through_another(child: Child) -> None:
    admin = json.loads(must(child.run_child("admin-token")))
    token = admin["token"]
    with serving(child) as first, serving(child) as second:
        status, unit = call(first, "POST", "/api/v1/org-units", token, {"name": "Group"})
        assert status == 201, unit
        body = {"title": "Claims triage", "org_unit": unit["id"], "owner": admin["id"]}
        status, created = call(first, "POST", "/api/v1/use-cases", token, body)
        assert status == 201, created
        path = f"/api/v1/use-cases/{created['id']}"
        status, seen = call(second, "GET", path, token)
        assert (status, seen["title"]) == (200, "Claims triage")

        status, changed = call(
            second, "PATCH", path, token, {"version": seen["version"], "title": "Claims triage v2"}
        )
        assert status == 200, changed
        status, seen = call(first, "GET", path, token)
        assert (status, seen["title"], seen["version"]) == (200, "Claims triage v2", 2)

        status, stale = call(first, "PATCH", path, token, {"version": 1, "title": "Lost update"})
        assert status == 409
        assert stale["current_version"] == 2
        assert "title" in stale["changed"]
    assert child.snapshot()["chain_ok"]
