"""At start-up (`aiom check`, runserver, migrate): the policy names only registered checks.

An app that registered a gate check may be removed, or a check renamed, while a policy
still names it; the policy would then fail at the first gate. This system check finds it
before that: every gate check the shipped policy and (given a database) the active one
name, and every fact a registered check reads, must be in the registry. The error names
the unknown key and the known ones.
"""

from collections.abc import Sequence
from typing import Any

from django.core import checks
from django.db import DatabaseError

from aiom.core import safe_yaml
from aiom.core.documents import DocumentError
from aiom.governance.models import PolicyVersion
from aiom.governance.policy.schema import PolicyError, parse_policy
from aiom.governance.policy.versions import DEFAULT_POLICY_PATH
from aiom.lifecycle.gate_registry import unread_facts


def _problems(source: str, text: str) -> list[str]:
    """Parsed afresh, not from the parsed-policy cache: the registry may have changed."""
    try:
        parse_policy(safe_yaml.load(text, what="a policy", error=PolicyError))
    except DocumentError as exc:
        return [f"{source}: {p}" for p in exc.problems]
    return []


def _policy_problems(databases: Sequence[str] | None) -> list[str]:
    problems = _problems("the shipped policy", DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    for alias in databases or ():
        try:
            row = PolicyVersion.objects.using(alias).only("version", "content").first()
        except DatabaseError:  # not migrated yet: nothing is active
            continue
        if row is not None:
            problems += _problems(f"the active policy (version {row.version})", row.content)
    return problems


@checks.register()
def policy_names_are_registered(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """The shipped and active policy's gate checks, and the facts checks read, exist."""
    found = [*unread_facts(), *_policy_problems(databases)]
    return [
        checks.Error(
            text,
            hint="Register it from its app's ready(), or fix the policy.",
            id="aiom.lifecycle.E001",
        )
        for text in found
    ]
