"""JSON shape of audit events."""

import datetime as dt
from typing import Any

from ninja import Schema


class AuditEventOut(Schema):
    seq: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any
    after: Any
    message: str
    request_id: str
    policy_version: int | None
    prev_hash: str
    hash: str
