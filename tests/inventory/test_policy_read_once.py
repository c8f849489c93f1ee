"""An import reads the policy once per batch, not once per row.

Every row is validated against the stages in force (`portfolio.vocabulary`, answered by
the active policy); outside a request nothing keeps the policy between calls, so without
`governance.policy.versions.pinned` a batch of 3,000 rows read the policy's row, its whole
YAML text, 3,000 times or more.
"""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aiom.inventory.bulk import create_imported_use_cases
from aiom.portfolio.models import UseCase
from tests.conftest import World


def _policy_reads(world: World, rows: int, stage: str | None) -> int:
    fields: list[dict[str, Any]] = [
        {"title": f"Imported {stage} {i}", "org_unit": world.retail, "theme": world.theme}
        | ({"stage": stage} if stage else {})
        for i in range(rows)
    ]
    with CaptureQueriesContext(connection) as seen:
        made, refused = create_imported_use_cases(actor=None, rows=fields, message="test")
    assert (len(made), refused) == (rows, [])
    return sum("governance_policyversion" in q["sql"] for q in seen.captured_queries)


def test_the_policy_is_read_once_whatever_the_batch_size(world: World) -> None:
    assert _policy_reads(world, 2, None) == _policy_reads(world, 40, None) == 1
    assert _policy_reads(world, 30, "pilot") == 1  # a stage given is checked, read once too
    first = UseCase.objects.filter(title__startswith="Imported None").values_list("stage")
    assert set(first) == {("intake",)}  # the policy's first stage
