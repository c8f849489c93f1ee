"""Every route and API operation is classified in routes.ROUTES, and every entry still exists.

A route someone adds later fails here by name until it gets its one-line entry.
"""

from tests.security.authz.discover import api_operations, page_routes
from tests.security.authz.matrix import all_cases, labels_of, methods_of
from tests.security.authz.routes import ROUTES


def test_every_page_route_and_api_operation_is_classified() -> None:
    missing = [r for r in page_routes() + api_operations() if r not in ROUTES]
    assert not missing, "classify these in tests/security/authz/routes.py:\n" + "\n".join(missing)


def test_every_classified_route_still_exists() -> None:
    existing = set(page_routes()) | set(api_operations())
    stale = [key for key in ROUTES if key not in existing]
    assert not stale, "no longer routed, remove from routes.py:\n" + "\n".join(stale)


def test_every_classified_route_is_exercised() -> None:
    for key, route in ROUTES.items():
        if route.exempt:
            continue
        assert methods_of(key), f"{key}: neither a read nor a write rule"
        assert labels_of(key)


def test_the_matrix_is_big_enough_to_mean_something() -> None:
    # 7 personas; 3 use cases where the path names one. Printed figure: see the report.
    cases = all_cases()
    print(f"authorization matrix: {len(cases)} cases")
    assert len(cases) >= 7 * len(api_operations())
