"""Signed POSTs: how aiom speaks to a receiver, whatever it sends (notices, audit anchors).

The body is signed with HMAC-SHA256 under a shared secret (`X-Aiom-Signature:
sha256=<hex>`), redirects are not followed and count as failures, and the timeout bounds
each socket operation, not the whole request.
"""

import functools
import hashlib
import hmac
import urllib.error
import urllib.request
from typing import Any

MAX_PAUSE_SECONDS = 5.0  # cap of the in-run pause between immediate retries
USER_AGENT = "aiom-webhooks/1"


def sign(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of `body` under `secret` (sent as `sha256=<hex>`)."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx then surfaces as an HTTPError: a failed delivery


@functools.cache
def opener() -> urllib.request.OpenerDirector:
    # Built once: building loads the system CA store (about 15 ms each time).
    return urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """One POST: (status code or None, error text; empty when the answer was 2xx)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with opener().open(request, timeout=timeout) as response:
            response.read(1024)
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        detail = exc.read(200).decode("utf-8", "replace").strip()
        exc.close()
        return exc.code, f"HTTP {exc.code}" + (f": {detail}" if detail else "")
    except TimeoutError:
        return None, f"timed out after {timeout:g} s"
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return None, f"timed out after {timeout:g} s"
        return None, f"cannot connect: {exc.reason}"
    except OSError as exc:
        return None, f"connection failed: {exc}"
