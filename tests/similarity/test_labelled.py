"""Regression guard: the chosen method's precision@5 on the labelled 2025 inventory pairs."""

from pathlib import Path

import pytest

from aiom.similarity.corpus import INVENTORY_2025, read_inventory
from aiom.similarity.evaluation import fit, load_labels, precision_at_k
from aiom.similarity.index import CHOSEN

LABELS = Path(__file__).with_name("labelled_pairs.json")
REPORTED = 0.58  # docs/silo-detection.md (en, the 2025 OMB file)
MARGIN = 0.05


def test_fixture_has_enough_pairs_and_hard_negatives() -> None:
    labels = load_labels(LABELS)
    assert len(labels["pairs"]) >= 40
    assert sum("hard negative" in p["note"] for p in labels["pairs"]) >= 5
    assert {p["a"].split(":")[1] != p["b"].split(":")[1] for p in labels["pairs"]} == {True}


@pytest.mark.skipif(not INVENTORY_2025.exists(), reason="the 2025 inventory file is not here")
def test_chosen_method_precision_does_not_regress() -> None:
    docs = read_inventory()
    result = precision_at_k(fit(CHOSEN(), docs), docs, load_labels(LABELS))
    assert result.strict >= REPORTED - MARGIN
