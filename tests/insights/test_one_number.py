"""One number everywhere: every figure reads the same on every page, the PDF and the API.

For the demo portfolio and for the imported 2025 US federal inventory, render the
dashboard, the diagnostics page, the board report (HTML, and the HTML the PDF is made
from), the maturity evidence and the API; pull out every figure the templates mark
(`data-figure="<key>"`, `data-figure-sentence="<key>"`) and assert that each occurrence
equals the API's `text` (and `sentence`) for that key, and that figures the API does not
carry (the funnel) agree across the pages. Loading either portfolio takes a while, so
each is loaded once per module (a transaction rolled back at the end) and the checks
share it. The count of figures x pages checked is printed and written to
test-artifacts/one-number.json.
"""

import datetime as dt
import importlib.machinery
import json
import sys
import types
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from aiom.insights.analytics.figure import percent_of, text_of
from aiom.organisation.models import Role
from tests.conftest import make_person

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OMB_2025 = "us-federal-2025-omb/2025_individually_reported_AI_use_cases.csv"
ARTIFACT = Path(__file__).parents[2] / "test-artifacts" / "one-number.json"
CHECKED: dict[str, dict[str, int]] = defaultdict(dict)  # portfolio -> page -> occurrences
DISTINCT: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # -> keys


class Marked(HTMLParser):
    """The text inside every element carrying `data-figure` / `data-figure-sentence`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # (attribute, key, text)
        self._open: list[tuple[str, str, int, list[str]]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        self._depth += 1
        for name, value in attrs:
            if name in ("data-figure", "data-figure-sentence") and value:
                self._open.append((name, value, self._depth, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        while self._open and self._open[-1][2] == self._depth:
            name, key, _, parts = self._open.pop()
            self.found.append((name, key, " ".join("".join(parts).split())))
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        for _, _, _, parts in self._open:
            parts.append(data)


def marked(html: str) -> list[tuple[str, str, str]]:
    parser = Marked()
    parser.feed(html)
    parser.close()
    return parser.found


def _admin() -> Any:
    return make_person("one_number_admin", None, (Role.ADMINISTRATOR, None))


@pytest.fixture(scope="module", params=["demo", "us-federal-2025"])
def portfolio(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[tuple[str, Any]]:
    """The demo, or the imported federal file, loaded once per module, rolled back after."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST),
        transaction.atomic(),
    ):
        if request.param == "demo":
            from aiom.demo.loader import load_demo

            load_demo(today=timezone.localdate() - dt.timedelta(days=10))
        else:
            from aiom.inventory.importer import run_import
            from aiom.inventory.mapping import load_preset
            from tests.inventory.conftest import real_file

            path = real_file(OMB_2025)
            run_import(path, actor=None, mapping=load_preset("omb-2025"), skip_invalid=True)
        yield request.param, _admin()
        transaction.set_rollback(True)


@pytest.fixture
def client_for(portfolio: tuple[str, Any], db: Any) -> Client:
    client = Client()
    client.force_login(portfolio[1])
    return client


def _pdf(client: Client, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str | None]:
    """The HTML the board report's PDF is made from, and the PDF's text (its laid-out
    text boxes, read back through WeasyPrint) when WeasyPrint is installed; without it a
    stand-in records the HTML and there is no PDF text."""
    seen: list[str] = []
    try:
        import weasyprint  # type: ignore[import-not-found,unused-ignore]
    except (ImportError, OSError):
        weasyprint = None

    class Recorded:
        def __init__(self, string: str) -> None:
            seen.append(string)
            self.real = weasyprint.HTML(string=string) if weasyprint else None

        def write_pdf(self, stylesheets: Any = None) -> bytes:
            if self.real is None:
                return b"%PDF-1.7 stand-in"
            self.stylesheets = stylesheets
            pdf: bytes = self.real.write_pdf(stylesheets=stylesheets)
            return pdf

    fake = types.ModuleType("weasyprint")
    fake.__spec__ = importlib.machinery.ModuleSpec("weasyprint", None)
    fake.HTML = Recorded  # type: ignore[attr-defined]
    fake.CSS = weasyprint.CSS if weasyprint else (lambda filename: filename)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "weasyprint", fake)
    response = client.get("/reports/board.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert len(seen) == 1
    if weasyprint is None:
        return seen[0], None
    document = weasyprint.HTML(string=seen[0]).render()
    boxes = (b for page in document.pages for b in page._page_box.descendants())
    return seen[0], "".join(t for b in boxes if isinstance(t := getattr(b, "text", None), str))


def _bare(text: str) -> str:
    return "".join(text.split())


def test_every_figure_reads_the_same_everywhere(
    portfolio: tuple[str, Any], client_for: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = portfolio[0]
    api = client_for.get("/api/v1/diagnostics").json()
    heads = client_for.get("/api/v1/analytics/headlines").json()
    pilots = client_for.get("/api/v1/analytics/pilots").json()
    reach = {r["key"]: r for r in client_for.get("/api/v1/analytics/stage-reach").json()}
    figures = {q["key"]: q["figure"] for q in api["questions"]}
    figures.update({f["key"]: f for f in heads})
    assert pilots["figure"] == figures["pilot_to_scale"]
    for key, f in figures.items():
        # the API's own fields agree: text is the value, rounded once, and in the sentence
        if f["unit"] == "%":
            assert f["value"] == percent_of(f["numerator"], f["denominator"]), key
            assert f["text"] == text_of("%", f["value"]), key
        if f["value"] is not None and f["unit"] != "count":
            assert f["text"] in f["sentence"], key
    for q in api["questions"]:
        assert q["answer"] == q["figure"]["sentence"]
    pages = {
        "dashboard": client_for.get("/dashboard/"),
        "diagnostics": client_for.get("/diagnostics/"),
        "board report": client_for.get("/reports/board/"),
        "maturity evidence": client_for.get("/maturity/"),
    }
    html = {page: r.content.decode() for page, r in pages.items() if r.status_code == 200}
    assert set(html) == set(pages), {p: r.status_code for p, r in pages.items()}
    html["board report PDF"], pdf_text = _pdf(client_for, monkeypatch)
    across: dict[str, set[str]] = defaultdict(set)  # figures the API does not carry
    for page, text in html.items():
        found = marked(text)
        assert found, page
        for attribute, key, shown in found:
            if key in figures:
                want = figures[key]["sentence" if attribute == "data-figure-sentence" else "text"]
                assert shown == want, (name, page, key, attribute)
            else:  # the funnel, stalled pilots: the same on every page that shows them
                across[key].add(shown)
            CHECKED[name][page] = CHECKED[name].get(page, 0) + 1
            DISTINCT[name][page].add(key)
    assert {k: v for k, v in across.items() if len(v) > 1} == {}
    if pdf_text is not None:  # the PDF's own text carries every figure the report marks
        in_pdf = _bare(pdf_text)
        for _, key, shown in marked(html["board report PDF"]):
            assert _bare(shown) in in_pdf, (name, "PDF text", key, shown)
            CHECKED[name]["board report PDF text"] = (
                CHECKED[name].get("board report PDF text", 0) + 1
            )
            DISTINCT[name]["board report PDF text"].add(key)
    for key in [k for k in across if k.startswith("funnel_now_")]:
        stage = key.removeprefix("funnel_now_")
        (now,) = across[key]
        (entered,) = across[f"funnel_entered_{stage}"]
        assert int(entered.replace(",", "")) >= int(now.replace(",", "")), stage
        # and the pages' funnel is the API's
        assert (int(entered), int(now)) == (reach[stage]["entered"], reach[stage]["now"]), stage
    # every headline and every diagnostic was found on the pages that show it
    assert CHECKED[name]["dashboard"] >= len(heads) + 2 + 2 * 6
    assert CHECKED[name]["diagnostics"] == 2 * len(api["questions"])
    assert CHECKED[name]["board report"] == CHECKED[name]["board report PDF"]
    assert CHECKED[name]["maturity evidence"] >= 5
    total = sum(CHECKED[name].values())
    pairs = sum(len(keys) for keys in DISTINCT[name].values())
    print(
        f"\n{name}: {pairs} figure x page pairs ({total} occurrences, texts and sentences) "
        f"on {len(CHECKED[name])} renderings agree with the API: {dict(CHECKED[name])}"
    )
    funnel = {k: next(iter(v)) for k, v in sorted(across.items())}
    print(f"{name} funnel: {funnel}")
    ARTIFACT.parent.mkdir(exist_ok=True)
    record = {
        n: {
            "occurrences": CHECKED[n],
            "figures_per_page": {p: sorted(k) for p, k in DISTINCT[n].items()},
            "figure_x_page_pairs": sum(len(k) for k in DISTINCT[n].values()),
        }
        for n in CHECKED
    }
    ARTIFACT.write_text(json.dumps(record, indent=2))
