"""Health probes for orchestrators: no login, no session, no cookies.

/healthz: the process answers (touches nothing else). /readyz: the database answers a
trivial query and has no unapplied migrations; otherwise 503 with JSON naming what is wrong.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _problems() -> dict[str, str]:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return {"database": f"unreachable: {type(exc).__name__}: {exc}"[:300]}
    try:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
    except Exception as exc:
        return {"migrations": f"cannot be read: {type(exc).__name__}: {exc}"[:300]}
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        return {"migrations": f"{len(names)} unapplied: {shown}"}
    return {}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    problems = _problems()
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})
