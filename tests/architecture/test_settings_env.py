"""Every AIOM_* variable is read once, in settings.py, and README's table lists each once."""

import re
from pathlib import Path

import pytest

from aiom import settings as aiom_settings

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "aiom"
READS = re.compile(r"""(?:_env|environ\.get|getenv)\(\s*["'](AIOM_\w+)["']""")
ENV_ACCESS = re.compile(r"environ\.get\(|environ\[|getenv\(")


def settings_variables() -> list[str]:
    return READS.findall((SRC / "settings.py").read_text(encoding="utf-8"))


def readme_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `AIOM_")]


def test_no_module_but_settings_reads_the_environment() -> None:
    readers = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in SRC.rglob("*.py")
        if path.name != "settings.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ENV_ACCESS.search(line)
    ]
    assert not readers, readers


def test_settings_reads_each_variable_once() -> None:
    names = settings_variables()
    assert len(names) > 50
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_readme_lists_each_variable_once_with_a_default() -> None:
    rows = readme_rows()
    listed = [re.match(r"\| `(AIOM_\w+)`", row).group(1) for row in rows]  # type: ignore[union-attr]
    assert sorted(listed) == sorted(settings_variables())
    assert all(row.split("|")[2].strip() for row in rows), "a row without a default"


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        ("", 7, 7),
        (" 12 ", 7, 12),
        ("2.5", 1.0, 2.5),
        ("TRUE", False, True),
        ("yes", False, True),
        ("0", True, False),
        ("off", True, False),
    ],
)
def test_one_parser_for_flags_and_numbers(
    monkeypatch: pytest.MonkeyPatch, raw: str, default: object, expected: object
) -> None:
    monkeypatch.setenv("AIOM_TEST_VALUE", raw)
    assert aiom_settings._env("AIOM_TEST_VALUE", default) == expected  # type: ignore[type-var]


def test_a_number_that_does_not_parse_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIOM_TEST_VALUE", "ten")
    with pytest.raises(ValueError, match="AIOM_TEST_VALUE must be a whole number, got 'ten'"):
        aiom_settings._env("AIOM_TEST_VALUE", 10)
