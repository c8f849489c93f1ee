from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aiom.literacy.models import TrainingRecord
from tests.literacy.test_imports import GOOD


@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 200), ("bob", 200), ("charlie", 200), ("ada", 200), ("rita", 200), ("pat", 403)],
)
def test_coverage_page(trained: Any, login: Any, name: str, status: int) -> None:
    r = login(name).get("/literacy/")
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "target of 80%" in html and "Retail Banking" in html
        assert 'class="litbar-fill is-short" width="60"' in html  # 3 of 5
        assert "style=" not in html.split("<main", 1)[-1]
        assert ("Import CSV" in html) is (name == "ada")


def test_coverage_page_for_a_unit(trained: Any, login: Any) -> None:
    r = login("bob").get(f"/literacy/?org_unit={trained.retail.pk}")
    assert "AI literacy · Retail Banking" in r.content.decode()


def test_anonymous_is_sent_to_login(world: Any, login: Any) -> None:
    assert login("anonymous").get("/literacy/").status_code == 302


@pytest.mark.parametrize(
    ("viewer", "owner", "status"),
    [
        ("bob", "bob", 200),
        ("alice", "bob", 200),
        ("ada", "bob", 200),
        ("charlie", "bob", 404),
        ("rita", "bob", 404),
        ("pat", "bob", 404),
    ],
)
def test_person_page_visibility(
    trained: Any, login: Any, viewer: str, owner: str, status: int
) -> None:
    r = login(viewer).get(f"/literacy/people/{getattr(trained, owner).pk}/")
    assert r.status_code == status
    if status == 200:
        assert "awareness course" in r.content.decode()
        assert ("Record a course" in r.content.decode()) is (viewer != "bob")


def test_record_form(trained: Any, login: Any) -> None:
    url = f"/literacy/people/{trained.bob.pk}/"
    data = {
        "course": "Prompting",
        "provider": "Academy",
        "level": "practitioner",
        "completed_on": "2026-02-01",
        "expires_on": "",
    }
    r = login("alice").post(url, data)
    assert r.status_code == 302
    assert TrainingRecord.objects.filter(person=trained.bob, course="Prompting").exists()
    r = login("alice").post(url, data | {"expires_on": "2026-01-01"})
    assert r.status_code == 422 and "must be after completed_on" in r.content.decode()
    assert login("bob").post(url, data).status_code == 403


def test_import_page(world: Any, login: Any) -> None:
    assert login("alice").get("/literacy/import/").status_code == 403
    client = login("ada")
    assert client.get("/literacy/import/").status_code == 200
    bad = SimpleUploadedFile("hr.csv", (GOOD + "zed,a,b,awareness,2026-01-01,\n").encode())
    r = client.post("/literacy/import/", {"file": bad})
    assert r.status_code == 422 and "line 4: username_or_email" in r.content.decode()
    r = client.post("/literacy/import/", {"file": SimpleUploadedFile("hr.csv", GOOD.encode())})
    assert r.status_code == 302 and TrainingRecord.objects.count() == 2
