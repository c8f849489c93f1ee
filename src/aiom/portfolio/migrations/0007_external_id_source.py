"""External ids get a source and a comparison key; unique per import source.

The data step: every use case with an external id gets its key (NFKC, whitespace
collapsed, casefolded: portfolio.external_ids) and, when its audit trail shows that an
import created it with that id and nobody changed the id since, that import's source
(the preset or mapping name in the event's message). Every other id counts as set by
hand (blank source): never matched by an import again. If two use cases would hold the
same id in one source (ids that differ only in case or spacing), the oldest keeps it
and the others become "set by hand"; their id text is kept and each is printed.
"""

import re
import unicodedata
from typing import Any

from django.db import migrations, models

_IMPORTED = re.compile(r"\(preset ([^,()]+), sha256 [0-9a-f]{12}\)$")
BATCH = 500


def _shown(text: str) -> str:
    value = unicodedata.normalize("NFKC", text)
    value = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cf", "Cc"))
    return " ".join(value.split())


def backfill(apps: Any, schema_editor: Any) -> None:
    use_cases = apps.get_model("portfolio", "UseCase")
    events = apps.get_model("core", "AuditEvent")
    ids = dict(use_cases.objects.exclude(external_id="").values_list("pk", "external_id"))
    if not ids:
        return
    created_by: dict[int, tuple[str, str]] = {}  # pk -> (source, key of the id it was given)
    by_hand: set[int] = set()
    trail = events.objects.filter(
        object_type="portfolio.usecase", action__in=["create", "update"]
    ).values_list("object_id", "action", "message", "before", "after")
    for object_id, action, message, before, after in trail.iterator(chunk_size=2000):
        if not str(object_id).isdigit() or int(object_id) not in ids:
            continue
        pk = int(object_id)
        was = (before or {}).get("external_id", "") if isinstance(before, dict) else ""
        now = (after or {}).get("external_id", "") if isinstance(after, dict) else ""
        if action == "create":
            found = _IMPORTED.search(message or "")
            if found and now:
                created_by[pk] = (found.group(1)[:60], _shown(str(now)).casefold())
        elif _shown(str(was)).casefold() != _shown(str(now)).casefold():
            by_hand.add(pk)
    rows = []
    for pk, raw in sorted(ids.items()):
        shown = _shown(raw)
        if not shown or len(shown) > 120:
            shown = raw
        key = shown.casefold()[:360]
        source, given = created_by.get(pk, ("", ""))
        if pk in by_hand or given != key:
            source = ""
        rows.append(use_cases(pk=pk, external_id=shown, external_key=key, external_source=source))
    holder: dict[tuple[str, str], int] = {}
    for row in rows:  # oldest first
        if not row.external_source:
            continue
        slot = (row.external_source, row.external_key)
        if slot in holder:
            print(
                f"\n  use case {row.pk}: external id '{row.external_id}' is also use case "
                f"{holder[slot]}'s in source {row.external_source}; {row.pk}'s now counts as "
                "set by hand (kept as text, no longer matched by imports)"
            )
            row.external_source = ""
        else:
            holder[slot] = row.pk
    use_cases.objects.bulk_update(
        rows, ["external_id", "external_key", "external_source"], batch_size=BATCH
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sign_in_failure"),
        ("portfolio", "0006_usecase_recent"),
    ]

    operations = [
        migrations.AddField(
            model_name="usecase",
            name="external_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The external id as compared (portfolio.external_ids.key_of)",
                max_length=360,
            ),
        ),
        migrations.AddField(
            model_name="usecase",
            name="external_source",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The import that gave the external id (a mapping's name); blank: set by hand"
                ),
                max_length=60,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="usecase",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_source", ""), _negated=True),
                fields=("external_source", "external_key"),
                name="usecase_external_id_unique_per_source",
            ),
        ),
    ]
