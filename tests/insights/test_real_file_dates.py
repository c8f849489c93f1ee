"""The issue's case: the 2025 federal file does not date most of its use cases, and the
funnel must not call them "proposed in the last 90 days" (it said 2,236)."""

import csv
import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest
from django.utils import timezone

from aiom.insights.analytics import Scope, funnel, time_to_value
from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from aiom.portfolio.models import UseCase
from tests.inventory.conftest import real_file

OMB_2025 = "us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv"
SET_ASIDE = 3  # rows of the file the preset accounts for by name (test_real_files.py)


@pytest.mark.django_db
def test_the_federal_file_proposes_nothing_in_the_last_90_days(
    login: Any, bearer: Any, world: Any
) -> None:
    before = UseCase.objects.count()
    report = run_import(
        real_file(OMB_2025), actor=None, mapping=load_preset("omb-2025"), skip_invalid=True
    )
    assert report.written
    rows = UseCase.objects.exclude(pk__in=[world.alice_uc.pk, world.alice_secret.pk])
    rows = rows.exclude(pk=world.wealth_secret.pk)
    assert rows.count() == UseCase.objects.count() - before
    today = timezone.localdate()
    assert not rows.filter(proposed_on=today).exists()  # never the import day
    undated = rows.filter(proposed_on__isnull=True).count()
    # the file gives no proposal date at all (operational_date is a stage entry): every
    # imported row's proposal is unknown, none is proposed in any period, all are left out
    assert not [t for t in report.date_fields if t.field == "proposed_on"]
    assert undated == rows.count() > 3000
    since = today - dt.timedelta(days=90)
    # the world's three use cases were proposed today, in aiom
    found = funnel(Scope(), since=since, until=today)
    assert found.proposed == 3
    assert found.left_out == undated
    assert found.left_out_reason == "without a proposal date"
    body = (
        login("ada").get("/api/v1/analytics/funnel", headers=bearer("ada")).json()  # 90 days
    )
    assert (body["proposed"], body["left_out"]) == (3, undated)
    assert body["left_out_note"] == (
        f"{undated:,} use cases without a proposal date are not in this figure"
    )
    # stage entries the file gives: a pilot's start day is the text of its own cell
    with real_file(OMB_2025).open(encoding="utf-8-sig", newline="") as f:
        read = [(r["use_case_name"].strip(), r["operational_date"]) for r in csv.DictReader(f)]
    names = Counter(name for name, _ in read)
    cells = {name: cell for name, cell in read if names[name] == 1}  # names the file repeats: out
    pilots = rows.filter(stage="pilot", stage_entered_precision="day").exclude(
        stage_entered_on=None
    )
    assert pilots.count() > 100
    for uc in pilots[:200]:
        if uc.title not in cells:
            continue
        assert uc.stage_entered_on is not None
        day = uc.stage_entered_on
        numbers = [int(n) for n in re.findall(r"\d+", cells[uc.title])[:3]]
        assert numbers in ([day.month, day.day, day.year], [day.year, day.month, day.day])
    ttv = time_to_value(Scope())
    assert ttv.realised == 0  # no KPI met a target: nothing made up from import days
