"""A child process for the reliability tests: `python -m tests.reliability.child CMD ...`.

Runs against AIOM_DATABASE_URL (a database of its own, never pytest's). Commands:

  snapshot                      print the portfolio, the audit head and the chain check as JSON
  transition ID STAGE REASON    move a use case as the system; `--hang FILE` writes FILE once
                                the change and its audit event are written, then waits to be
                                killed before the transaction commits
  sweep --hang FILE --release FILE
                                `aiom sweep`, holding the sweep lock: writes the first FILE
                                once it holds it, then waits for the second to appear
  admin-token                   make an administrator; print its id and an API token (JSON)
"""

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def _wait_for(path: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.05)


def snapshot() -> dict[str, Any]:
    from aiom.core.audit import verify_chain
    from aiom.core.models import AuditChainHead
    from aiom.lifecycle.models import StageChange
    from aiom.notifications.models import Notice
    from aiom.portfolio.models import UseCase

    report = verify_chain()
    head = AuditChainHead.objects.filter(pk=1).first()
    return {
        "use_cases": [
            list(row)
            for row in UseCase.objects.order_by("pk").values_list("pk", "title", "stage", "version")
        ],
        "stage_changes": StageChange.objects.count(),
        "notices": Notice.objects.count(),
        "head": [head.seq, head.last_hash] if head else None,
        "chain_ok": report.ok,
        "chain_checked": report.checked,
        "chain_problem": report.reason,
    }


def transition(uc_id: int, stage: str, reason: str, hang: Path | None) -> None:
    from aiom.core import audit
    from aiom.lifecycle import services as lifecycle
    from aiom.portfolio.models import UseCase

    if hang is not None:
        real_record = audit.record

        def record_then_hang(**kwargs: Any) -> Any:
            event = real_record(**kwargs)
            hang.write_text(str(event.seq))
            time.sleep(600)  # killed here, inside the transaction
            return event

        audit.record = record_then_hang
    change = lifecycle.transition(
        actor=None, use_case=UseCase.objects.get(pk=uc_id), to_stage=stage, reason=reason
    )
    print(json.dumps({"stage_change": change.pk, "to": change.to_stage}))


def sweep(hang: Path, release: Path) -> None:
    from django.core.management import call_command

    from aiom.notifications import services

    real_sweep = services.sweep

    def hold_then_sweep(**kwargs: Any) -> Any:
        hang.write_text(str(os.getpid()))
        _wait_for(release)
        return real_sweep(**kwargs)

    services.sweep = hold_then_sweep
    call_command("sweep", "--no-send")


def admin_token() -> dict[str, Any]:
    from aiom.core import tokens
    from aiom.organisation import services as org
    from aiom.organisation.models import Role

    admin = org.create_person(actor=None, username="rel-admin", first_name="Rel")
    org.assign_role(actor=None, user=admin, role=Role.ADMINISTRATOR, org_unit=None)
    _, plaintext = tokens.create_token(
        actor=None, user=admin, name="reliability", scopes=("read", "write", "admin")
    )
    return {"id": admin.pk, "token": plaintext}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiom.settings")
    import django

    django.setup()
    command, args = argv[0], argv[1:]
    if command == "snapshot":
        print(json.dumps(snapshot()))
    elif command == "transition":
        hang = Path(args[4]) if len(args) > 4 and args[3] == "--hang" else None
        transition(int(args[0]), args[1], args[2], hang)
    elif command == "sweep":
        sweep(Path(args[1]), Path(args[3]))
    elif command == "admin-token":
        print(json.dumps(admin_token()))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
