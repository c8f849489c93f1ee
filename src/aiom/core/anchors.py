"""Anchors: the chain's head, signed and kept outside the database, to check it against.

`anchor()` appends one JSON line per anchor to an append-only file (settings
AIOM_AUDIT_ANCHORS, default var/audit-anchors.jsonl; opened with O_APPEND, fsynced):
`{"v": 1, "seq": N, "hash": "...", "at": "...", "key_id": "...", "sig": "..."}`, where
`sig` is the HMAC-SHA256 under the audit key of the other fields' canonical JSON. With
AIOM_AUDIT_ANCHOR_WEBHOOK set, the same line is POSTed there (off the host). It only
anchors a chain whose events since the last anchor verify.

`verify(path)` walks the chain and checks it against every anchor: a forged line (bad
signature), truncation (the chain ends before an anchored event) and rewriting (the event
at an anchored position no longer has the anchored hash), naming the first event that
differs. Events after the last anchor are only as safe as the chain alone: anchor often.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from aiom.core import audit, signed_posts
from aiom.core.audit_key import audit_key, key_id
from aiom.core.models import AuditChainHead, AuditEvent

log = logging.getLogger(__name__)
VERSION = 1
FIELDS = ("v", "seq", "hash", "at", "key_id")


class AnchorFileError(Exception):
    """An anchors file that cannot be read or parsed; the message names the file and line."""


class AnchorRefusedError(Exception):
    """Nothing was anchored because the chain does not verify; the message says why."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: dt.datetime
    key_id: str
    sig: str = ""
    line: int = 0

    def fields(self) -> dict[str, Any]:
        at = self.at.astimezone(dt.UTC).isoformat()
        return {"v": VERSION, "seq": self.seq, "hash": self.hash, "at": at, "key_id": self.key_id}

    def signature(self, key: bytes) -> str:
        body = json.dumps(self.fields(), sort_keys=True, separators=(",", ":"))
        return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def signed_by(self, key: bytes) -> bool:
        # Compared as bytes: a forged line may carry any text (compare_digest refuses
        # non-ASCII str).
        return hmac.compare_digest(self.sig.encode("utf-8"), self.signature(key).encode())

    def json_line(self) -> str:
        return json.dumps({**self.fields(), "sig": self.sig}, sort_keys=True) + "\n"


def default_path() -> Path:
    return Path(settings.AIOM_AUDIT_ANCHORS)


def make(seq: int, hash_: str, at: dt.datetime | None = None) -> Anchor:
    """A signed anchor of the event at `seq` with `hash_`."""
    key = audit_key()
    unsigned = Anchor(seq, hash_, at or timezone.now(), key_id(key))
    return Anchor(seq, hash_, unsigned.at, unsigned.key_id, unsigned.signature(key))


# --- the file ------------------------------------------------------------------------------


def read(path: Path, *, strict: bool = True) -> list[Anchor]:
    """Every anchor in `path`, in file order; AnchorFileError names a bad line.

    Not `strict` (anchoring): bad lines are skipped, so a line a crash cut short does not
    stop the anchors after it; verify reports it.
    """
    try:
        text = path.read_bytes().decode("utf-8", "strict" if strict else "replace")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError(f"cannot read the anchors file {path}: {exc}") from exc
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(_parse(path, n, line))
        except AnchorFileError:
            if strict:
                raise
    return found


def _parse(path: Path, n: int, line: str) -> Anchor:
    where = f"{path}:{n}"
    try:
        doc = json.loads(line)
    except ValueError as exc:
        raise AnchorFileError(f"{where}: not a JSON line ({exc})") from exc
    if not isinstance(doc, dict):
        raise AnchorFileError(f"{where}: expected a JSON object")
    missing = [f for f in (*FIELDS, "sig") if f not in doc]
    if missing:
        raise AnchorFileError(f"{where}: missing {', '.join(missing)}")
    if doc["v"] != VERSION:
        raise AnchorFileError(f"{where}: unknown anchor version {doc['v']!r}")
    seq, text_fields = doc["seq"], ("hash", "at", "key_id", "sig")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise AnchorFileError(f"{where}: seq must be a positive whole number")
    for name in text_fields:
        if not isinstance(doc[name], str):
            raise AnchorFileError(f"{where}: {name} must be a string")
    try:
        at = dt.datetime.fromisoformat(doc["at"])
    except ValueError:
        raise AnchorFileError(f"{where}: at is not an ISO date-time: {doc['at']!r}") from None
    if at.tzinfo is None:
        raise AnchorFileError(f"{where}: at has no time zone: {doc['at']!r}")
    return Anchor(seq, doc["hash"], at, doc["key_id"], doc["sig"], n)


def append(path: Path, anchor: Anchor) -> None:
    """Add one line at the end of `path` (O_APPEND, fsync); never rewrites what is there."""
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        data = anchor.json_line().encode("utf-8")
        if size and _last_byte(path, size) != b"\n":
            data = b"\n" + data  # a line cut short by a crash stays its own (bad) line
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _last_byte(path: Path, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(size - 1)
        return handle.read(1)


# --- anchoring -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchored:
    anchor: Anchor
    path: Path
    posted_to: str = ""
    post_error: str = ""


def last_valid(anchors: list[Anchor]) -> Anchor | None:
    """The anchor with the highest position whose signature holds under this key."""
    key = audit_key()
    good = [a for a in anchors if a.signed_by(key)]
    return max(good, key=lambda a: (a.seq, a.at), default=None)


def anchor(path: Path | None = None, *, post: bool = True) -> Anchored:
    """Verify the chain since the last anchor, then append its head (and post it)."""
    path = path or default_path()
    since = last_valid(read(path, strict=False)) if path.exists() else None
    report = audit.verify_chain(since=(since.seq, since.hash) if since else None)
    if not report.ok:
        if since is not None and not AuditEvent.objects.filter(seq=since.seq).exists():
            raise AnchorRefusedError(
                f"the chain no longer reaches #{since.seq}, anchored at line {since.line} of "
                f"{path}: truncated, or an older backup was restored (`aiom audit verify`)"
            )
        raise AnchorRefusedError(report.reason + _event(report))
    seq, hash_ = report.last
    if seq == 0:
        raise AnchorRefusedError("the audit trail is empty")
    made = make(seq, hash_)
    append(path, made)
    url = settings.AIOM_AUDIT_ANCHOR_WEBHOOK if post else ""
    return Anchored(made, path, url, post_anchor(made, url) if url else "")


def anchor_if_due(now: dt.datetime | None = None, *, post: bool = True) -> Anchored | None:
    """The sweep's anchor: when AIOM_AUDIT_ANCHOR_HOURS have (nearly) passed since the
    last anchor and the head moved since."""
    hours = float(settings.AIOM_AUDIT_ANCHOR_HOURS)
    if hours <= 0:
        return None
    now, path = now or timezone.now(), default_path()
    last = last_valid(read(path, strict=False)) if path.exists() else None
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        return None
    if last is not None:
        if (last.seq, last.hash) == (head.seq, head.last_hash):
            return None
        interval = dt.timedelta(hours=hours)
        # A tenth (at most an hour) of slack: a daily cron at a fixed time that reaches
        # this point a few seconds earlier than yesterday still anchors today.
        if now - last.at < interval - min(interval / 10, dt.timedelta(hours=1)):
            return None
    return anchor(path, post=post)


def post_anchor(made: Anchor, url: str) -> str:
    """POST the anchor line to `url`, signed like the notices' webhooks; error text or ""."""
    secret = settings.AIOM_WEBHOOK_SECRET
    if not secret:
        return "AIOM_AUDIT_ANCHOR_WEBHOOK is set but AIOM_WEBHOOK_SECRET is empty: not posted"
    body = made.json_line().strip().encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": signed_posts.USER_AGENT,
        "X-Aiom-Event": "audit_anchor",
        "X-Aiom-Delivery": f"anchor-{made.seq}-{made.sig[:16]}",
        "X-Aiom-Signature": "sha256=" + signed_posts.sign(secret, body),
    }
    error = ""
    for i in range(int(settings.AIOM_WEBHOOK_RETRIES) + 1):
        if i:
            pause = settings.AIOM_WEBHOOK_BACKOFF_SECONDS * 2 ** (i - 1)
            time.sleep(min(pause, signed_posts.MAX_PAUSE_SECONDS))
        _, error = signed_posts.post(url, body, headers, settings.AIOM_WEBHOOK_TIMEOUT)
        if not error:
            return ""
        log.warning("audit anchor #%s to %s: %s", made.seq, url, error)
    return error


# --- verifying against anchors ---------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The chain's report and what the anchors found wrong (empty when all agree)."""

    chain: audit.ChainReport
    path: Path | None = None
    anchors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


def _event(report: audit.ChainReport) -> str:
    return f"; first event that differs: {report.event}" if report.event else ""


def verify(path: Path | None) -> Verdict:
    """Walk the chain and check it against the anchors in `path` (None: the chain alone)."""
    found = read(path) if path is not None else []
    key, problems = audit_key(), []
    good = []
    for a in found:
        if a.signed_by(key):
            good.append(a)
            continue
        other = "" if a.key_id == key_id(key) else f" (key id {a.key_id}, not {key_id(key)})"
        problems.append(
            f"{path}:{a.line}: the anchor of #{a.seq} has a bad signature: forged, or "
            f"signed with another key{other}"
        )
    report = audit.verify_chain(watch={a.seq for a in good})
    problems += _against(path, sorted(good, key=lambda a: (a.seq, a.line)), report)
    return Verdict(report, path, len(found), problems)


def _against(path: Path | None, good: list[Anchor], report: audit.ChainReport) -> list[str]:
    last = AuditEvent.objects.order_by("-seq").first()
    end = last.seq if last is not None else 0
    problems: list[str] = []
    beyond = [a for a in good if a.seq > end]
    if beyond:
        a = beyond[-1]
        ends = f"ends with {audit.describe(last)}" if last is not None else "is empty"
        lost = f"event #{a.seq} was" if a.seq == end + 1 else f"events #{end + 1} to #{a.seq} were"
        problems.append(
            f"truncated: the chain {ends}, but {path}:{a.line} anchored #{a.seq} at "
            f"{a.at.isoformat()}: {lost} deleted (or an older backup was restored)"
        )
    trusted = 0
    for a in good:
        stored = report.seen.get(a.seq)
        if stored is None:
            continue  # beyond the end, or past the point where the chain broke
        if stored == a.hash:
            trusted = max(trusted, a.seq)
            continue
        first = _first_differing(trusted, a)
        problems.append(
            f"rewritten: {path}:{a.line} anchored #{a.seq} with hash {a.hash[:16]}… at "
            f"{a.at.isoformat()}, but event #{a.seq} now has {stored[:16]}…; first event "
            f"that differs: {audit.describe(first) if first else f'#{a.seq}'}"
        )
        break
    return problems


def _first_differing(trusted: int, a: Anchor) -> AuditEvent | None:
    """Between the last matching anchor and `a`: the first event written after `a` was
    made (it cannot be the anchored one), else the anchored position itself."""
    window = AuditEvent.objects.filter(seq__gt=trusted, seq__lte=a.seq).order_by("seq")
    return window.filter(at__gt=a.at).first() or window.filter(seq=a.seq).first()
