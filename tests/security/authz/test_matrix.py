"""The authorization matrix: every persona x every page and API operation x read/write, on
the ordinary and the confidential use cases. See routes.py for the table, matrix.py for
what each case must answer.
"""

from typing import Any

import pytest

from tests.security.authz.conftest import Setup
from tests.security.authz.matrix import cases_for, check, classified_keys
from tests.security.authz.routes import ROUTES
from tests.security.authz.rules import PERSONAS


def _params() -> list[Any]:
    params = []
    for key in classified_keys():
        for persona in PERSONAS:
            marks = []
            reason = ROUTES[key].xfail.get(persona)
            if reason:
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            params.append(pytest.param(key, persona, marks=marks, id=f"{key}|{persona}"))
    return params


@pytest.mark.parametrize(("key", "persona"), _params())
def test_matrix(setup: Setup, db: Any, key: str, persona: str) -> None:
    problems = [
        problem
        for case in cases_for(key, persona)
        for problem in check(case, setup.ctx, setup.clients, setup.titles)
    ]
    assert not problems, "\n".join(problems)
