"""No stage key is written outside the vocabulary module (issue 16).

The policy owns the stages: code asks it for the stage playing a role
(`policy.stage_with_role(StageRole.PILOT)`), so a policy that renames `pilot` to `trial`
works everywhere (tests/governance/test_renamed_stages.py runs the flows through one).
A string equal to a default stage key in `src/aiom` (Python constants, found with `ast`;
template tags, found with a regex) is refused with its file and line, except in the
vocabulary module itself, the shipped policies, demo data and migrations, and the few
places where the same word means something else, each counted and said why below.

Count them: `python -m tests.architecture.test_vocabulary [SRC]` (default: src/aiom).
"""

import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import aiom
from aiom.portfolio.vocabulary import STAGE_KEYS

SRC = Path(aiom.__file__).resolve().parent
VOCABULARY = "portfolio/vocabulary.py"
TAG = re.compile(r"\{[%{].*?[%}]\}")
QUOTED_KEY = re.compile(r"""["'](""" + "|".join(STAGE_KEYS) + r""")["']""")

# (file under src/aiom, word): (how many times, why it is not a stage key there).
NOT_STAGES: dict[tuple[str, str], tuple[int, str]] = {
    ("catalogue/models.py", "retired"): (1, "a data product's access status"),
    ("templates/catalogue/detail.html", "retired"): (2, "a data product's access status"),
    ("governance/models.py", "rejected"): (1, "a review request's status"),
    ("templates/lifecycle/_lifecycle.html", "rejected"): (1, "a review request's status"),
    ("value/policy.py", "feasibility"): (2, "a prioritisation criterion's kind"),
    ("value/priority.py", "feasibility"): (2, "a prioritisation criterion's kind"),
    ("insights/analytics/pilots.py", "stopped"): (4, "a pilot's outcome (OUTCOMES)"),
    ("insights/analytics/facts.py", "stopped"): (2, "a pilot's outcome (facts.pilot_outcome)"),
    ("insights/analytics/tables.py", "stopped"): (1, "a pilot outcome's column heading"),
    ("core/charts.py", "stopped"): (1, "the colour of the pilot outcome series"),
    ("insights/analytics/tally.py", "operational"): (1, "the Tally field counting them"),
    ("monitoring/analytics.py", "operational"): (1, "an API field: use cases needing a plan"),
    ("insights/maturity/fetch.py", "operational"): (2, "monitoring's field; a maturity input key"),
}


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    word: str

    def __str__(self) -> str:
        return f"src/aiom/{self.path}:{self.line}: '{self.word}'"


def exempt(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return (
        path == VOCABULARY
        or path.startswith("policies/")
        or "/migrations/" in path
        or path.startswith("demo/")  # the demo package (aiom.demo)
        or name.startswith("demo")
    )


def python_hits(path: str, source: str) -> list[Hit]:
    """Every string constant in `source` equal to a default stage key."""
    return [
        Hit(path, node.lineno, node.value)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if node.value in STAGE_KEYS
    ]


def template_hits(path: str, source: str) -> list[Hit]:
    """Every quoted stage key inside a `{% %}` or `{{ }}` tag of a template."""
    return [
        Hit(path, number, match.group(1))
        for number, line in enumerate(source.splitlines(), 1)
        for tag in TAG.findall(line)
        for match in QUOTED_KEY.finditer(tag)
    ]


def literals(root: Path = SRC) -> list[Hit]:
    """The stage-key literals under `root` outside the exempt files, in file order."""
    hits: list[Hit] = []
    for file in sorted(root.rglob("*")):
        path = file.relative_to(root).as_posix()
        if exempt(path) or file.suffix not in (".py", ".html"):
            continue
        text = file.read_text(encoding="utf-8")
        hits += python_hits(path, text) if file.suffix == ".py" else template_hits(path, text)
    return sorted(hits, key=lambda h: (h.path, h.line))


def unexplained(hits: list[Hit]) -> list[Hit]:
    """The hits beyond what NOT_STAGES allows for their file and word."""
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for hit in hits:
        key = (hit.path, hit.word)
        seen[key] += 1
        if seen[key] > NOT_STAGES.get(key, (0, ""))[0]:
            out.append(hit)
    return out


def test_no_stage_key_is_written_outside_the_vocabulary() -> None:
    found = unexplained(literals())
    assert not found, (
        "stage keys written as literals; ask the policy for the stage with a role "
        "(policy.stage_with_role(StageRole....), stages_with_role, live_stages):\n"
        + "\n".join(map(str, found))
    )


def test_every_allowance_is_used_exactly() -> None:
    counts = Counter((h.path, h.word) for h in literals())
    stale = {k: (n, counts[k]) for k, (n, _) in NOT_STAGES.items() if counts[k] != n}
    assert not stale, f"NOT_STAGES (allowed, found) out of date: {stale}"


def test_the_scanner_sees_a_stage_key_in_code_and_templates() -> None:
    code = 'def f(uc):\n    return uc.stage == "pilot" or uc.stage in ("scaling",)\n'
    assert [str(h) for h in unexplained(python_hits("x.py", code))] == [
        "src/aiom/x.py:2: 'pilot'",
        "src/aiom/x.py:2: 'scaling'",
    ]
    page = '<p>\n{% if uc.stage == "operational" %}live{% endif %} operational</p>'
    assert [str(h) for h in template_hits("t.html", page)] == ["src/aiom/t.html:2: 'operational'"]
    assert exempt("demo/history.py") and exempt("lifecycle/migrations/0001_x.py")
    assert not exempt("lifecycle/services.py")


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else SRC
    every = literals(root)
    left = unexplained(every)
    print("\n".join(map(str, left)))
    lines = {(h.path, h.line) for h in left}
    print(
        f"{len(every)} literals ({len(every) - len(left)} not stage keys, NOT_STAGES); "
        f"{len(left)} stage keys on {len(lines)} lines in {len({h.path for h in left})} files"
    )
