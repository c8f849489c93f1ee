"""A clone has no dead links: every relative link in the repository's Markdown files,
and every `docs/*.md` it names, is a file in the repository; nothing points outside it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".git", ".venv", "var", "node_modules", "test-artifacts", ".mypy_cache", ".ruff_cache"}
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)>\s]+)>?(?:\s+\"[^\"]*\")?\s*\)")
NAMED_DOC = re.compile(r"(?<![\w./-])(docs/[\w.-]+\.md)")
OUTSIDE = re.compile(r"\.\./shared\b")


def markdown_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.md") if not SKIP & set(p.relative_to(ROOT).parts[:-1]))


def targets(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found += [(number, m.group(1)) for m in LINK.finditer(line)]
    return found


def test_there_are_markdown_files_to_check() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in markdown_files()}
    assert {"README.md", "AGENTS.md", "docs/product.md", "docs/style.md"} <= names


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve_inside_the_repository(path: Path) -> None:
    dead = []
    for number, target in targets(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL (http:, mailto:) or an anchor in the same file
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            dead.append(f"line {number}: {target}")
    assert not dead, dead


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_named_docs_exist_and_nothing_points_outside(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    missing = sorted({d for d in NAMED_DOC.findall(text) if not (ROOT / d).is_file()})
    assert not missing, missing
    assert not OUTSIDE.search(text), "a pointer outside the repository (../shared)"
