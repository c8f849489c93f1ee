"""The policy in force: reading, validating, hashing, activating.

Parsed policies are cached per version (a version's content never changes), so asking
for the active policy costs one small query.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from aiom.core import audit, safe_yaml
from aiom.core.context import request_in_progress
from aiom.governance.models import PolicyVersion
from aiom.governance.policy.schema import Policy, PolicyError, parse_policy
from aiom.organisation.services import require_admin

DEFAULT_POLICY_PATH = Path(__file__).resolve().parents[2] / "policies" / "default.yaml"
_parsed: dict[str, Policy] = {}
_KEEP_PARSED = 64


@dataclass(frozen=True)
class ActivePolicy:
    version: int
    sha256: str
    policy: Policy


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_text(text: str) -> Policy:
    """Parse and validate a YAML policy; PolicyError names each problem's path.

    Within limits, checked before and while parsing (`aiom.core.safe_yaml`): a
    document too long, nested too deep or expanding too far through aliases is refused
    naming the limit, for the page, the API and `aiom policy` alike."""
    digest = content_hash(text)
    if digest in _parsed:
        return _parsed[digest]
    data = safe_yaml.load(text, what="a policy", error=PolicyError)
    policy = parse_policy(data)
    if len(_parsed) >= _KEEP_PARSED:  # drafts come and go: keep the cache bounded
        _parsed.pop(next(iter(_parsed)))
    _parsed[digest] = policy
    return policy


def load_file(path: Path) -> tuple[str, Policy]:
    try:
        with path.open(encoding="utf-8") as handle:
            text = handle.read(safe_yaml.MAX_CHARS + 1)  # no more than the limit needs
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise PolicyError([f"{path}: cannot be read ({why})"]) from exc
    return text, load_text(text)


_in_request: ContextVar[tuple[str, ActivePolicy] | None] = ContextVar(
    "aiom_active_policy", default=None
)


_pinned: ContextVar[ActivePolicy | None] = ContextVar("aiom_pinned_policy", default=None)


@contextmanager
def pinned() -> Iterator[ActivePolicy]:
    """Read the policy once for a batch outside a request: an import validates thousands
    of rows, each asking for the stages in force, and would otherwise read the policy's
    row (its whole text) once a row. A policy activated meanwhile applies to the next
    batch, as it applies to the next request."""
    token = _pinned.set(active_policy())
    try:
        yield _pinned.get() or active_policy()
    finally:
        _pinned.reset(token)


def active_policy() -> ActivePolicy:
    """The newest activated policy; the shipped default is activated if none ever was.

    Read once per request (a page asks for it from many places); `activate` forgets it."""
    if (batch := _pinned.get()) is not None:
        return batch
    request = request_in_progress()
    kept = _in_request.get()
    if request and kept and kept[0] == request:
        return kept[1]
    row = PolicyVersion.objects.only("version", "sha256", "content").first()
    if row is None:
        row = activate(
            actor=None,
            text=DEFAULT_POLICY_PATH.read_text(encoding="utf-8"),
            note="the default policy shipped with aiom",
        )
    active = ActivePolicy(row.version, row.sha256, load_text(row.content))
    if request:
        _in_request.set((request, active))
    return active


def stages_in_force() -> list[tuple[str, str]]:
    """The active policy's stages, `(key, label)` in order: portfolio's stage vocabulary
    (`portfolio.vocabulary.provide`), read through `active_policy` and so once a request."""
    return [(stage.key, stage.label) for stage in active_policy().policy.stages]


@transaction.atomic
def activate(*, actor: audit.Actor, text: str, note: str = "") -> PolicyVersion:
    """Validate and put a policy in force as the next version; a no-op if unchanged."""
    require_admin(actor, "activate a policy")
    _in_request.set(None)
    policy = load_text(text)
    digest = content_hash(text)
    current = PolicyVersion.objects.select_for_update().first()
    if current is not None and current.sha256 == digest:
        return current
    row = PolicyVersion.objects.create(
        version=(current.version + 1) if current else 1,
        name=policy.name,
        content=text,
        sha256=digest,
        activated_by=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )
    audit.record(
        actor=actor,
        action="activate",
        obj=row,
        policy_version=row.version,
        before={"version": current.version, "sha256": current.sha256} if current else None,
        after={"version": row.version, "sha256": digest, "name": policy.name},
        message=note,
    )
    return row


__all__ = ["ActivePolicy", "PolicyError", "activate", "active_policy", "load_file", "load_text"]
