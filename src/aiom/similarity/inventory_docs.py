"""Inventory files and public registers as use-case documents, without a database.

`read_inventory` builds the documents straight from an inventory file through the
importer's own mapping (the ids are the importer's external ids); `read_register` from a
public register's JSON export. The evaluation, its regression test and the benchmarks read
them; the index does not (it reads `corpus.document_text` only), so it never loads the
importer.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from aiom.inventory.convert import Columns, convert
from aiom.inventory.mapping import load_preset
from aiom.inventory.readers import read_source
from aiom.similarity.corpus import document_text

INVENTORY_2025 = (
    Path(__file__).resolve().parents[3]
    / "../shared/data/us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv"
).resolve()


@dataclass(frozen=True)
class InventoryDoc:
    external_id: str
    agency: str
    unit: str
    title: str
    text: str
    vendor: str


def read_inventory(path: Path = INVENTORY_2025, preset: str = "omb-2025") -> list[InventoryDoc]:
    """Every valid row of an inventory file as a document, in file order, ids unique."""
    source = read_source(path)
    mapping = load_preset(preset)
    cols = Columns(source.headers, mapping)
    docs: dict[str, InventoryDoc] = {}
    for line, row in source.rows:
        plan = convert(line, row, mapping, cols)
        if not plan.valid or not plan.org_path:
            continue
        v = plan.values
        title = str(v.get("title", ""))
        text = document_text(
            title,
            str(v.get("problem", "")),
            str(v.get("description", "")),
            str(v.get("value_hypothesis", "")),
        )
        docs.setdefault(
            plan.external_id,
            InventoryDoc(
                plan.external_id,
                plan.org_path[0][1],
                plan.org_path[-1][1],
                title,
                text,
                str(v.get("vendor", "")),
            ),
        )
    return list(docs.values())


def read_register(path: Path) -> list[InventoryDoc]:
    """A public register's export as documents, without the importer: a JSON list of
    records {"id", "organisation", "title", "description"} (tests/similarity/data/*/README
    says where each file comes from). Ids are "<file stem>:<id>"."""
    records = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for r in records:
        title, organisation = str(r.get("title", "")), str(r.get("organisation", ""))
        text = document_text(title, "", str(r.get("description", "")), "")
        pk = f"{path.stem}:{r['id']}"
        docs.append(InventoryDoc(pk, organisation, organisation, title, text, ""))
    return docs
