"""The issue's case: the 2025 federal file does not date most of its use cases, and the
funnel must not call them "proposed in the last 90 days" (it said 2,236)."""

import csv
import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aiom.inventory.importer import run_import
from aiom.inventory.mapping import load_preset
from aiom.portfolio.models import UseCase
from aiom.value.analytics import Scope, funnel, time_to_value
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
    (tally,) = [t for t in report.date_fields if t.field == "proposed_on"]
    gave_none = tally.none + tally.unreadable + tally.future  # what the file did not date
    assert abs(undated - gave_none) <= SET_ASIDE
    assert undated > 1000  # most of the file (62 % when the issue was filed)

    # The file's rows count as proposed in the last 90 days only on the file's own word:
    # it gives planned "operational" days up to 2026-12 (so, with today's clock, a few
    # can fall in the period); each counted row's day is the text of its own cell.
    since = today - dt.timedelta(days=90)
    dated = {uc.title: uc.proposed_on for uc in rows.filter(proposed_on__gte=since)}
    with real_file(OMB_2025).open(encoding="utf-8-sig", newline="") as f:
        cells = {r["use_case_name"].strip(): r["operational_date"] for r in csv.DictReader(f)}
    for title, day in dated.items():
        assert cells[title].startswith(day.isoformat()), title  # type: ignore[union-attr]
    # the world's three use cases were proposed today, in aiom
    found = funnel(Scope(), since=since, until=today)
    assert found.proposed == 3 + len(dated)
    assert found.left_out == undated
    assert found.left_out_reason == "without a proposal date"
    body = (
        login("ada").get("/api/v1/analytics/funnel", headers=bearer("ada")).json()  # 90 days
    )
    assert (body["proposed"], body["left_out"]) == (3 + len(dated), undated)
    assert body["left_out_note"] == (
        f"{undated:,} use cases without a proposal date are not in this figure"
    )
    ttv = time_to_value(Scope())
    assert ttv.realised == 0  # no KPI met a target: nothing made up from import days
