"""The gate checks a policy's gates may name, and the facts those checks read.

Two stores of `aiom.core.registry`, filled from each app's AppConfig.ready() by the app
that knows the fact: lifecycle registers its built-in checks and the exit-measurement and
override facts, catalogue `data_ready` and the data-product facts, change and obligations
theirs. A policy naming a check nobody registered is refused (`known_check`), and at
start-up every name the shipped and active policy use is checked (`policy_startup`).

Model-free, so an apps.py can import it at load time.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from aiom.core import registry

if TYPE_CHECKING:
    from aiom.governance.policy.schema import Policy
    from aiom.lifecycle.checks import GateFacts, Verdict

CHECKS = "gate_checks"
FACTS = "gate_facts"

Check = Callable[["GateFacts", "Policy", dict[str, Any]], "Verdict"]
# Takes use-case ids and answers {id: facts} in a fixed number of queries.
FactLoader = Callable[[list[int]], Mapping[int, Any]]


@dataclass(frozen=True)
class GateCheck:
    """A named check: what it says it checks, the function, and the facts it reads."""

    name: str
    description: str
    run: Check
    reads: tuple[str, ...] = field(default=())

    def __call__(self, facts: "GateFacts", policy: "Policy", params: dict[str, Any]) -> "Verdict":
        return self.run(facts, policy, params)


@dataclass(frozen=True)
class FactSource:
    """Facts loaded into `GateFacts.extra[key]` when a check reads them; ids the loader
    leaves out get `default`."""

    loader: FactLoader
    default: Any = None


def check(
    name: str, description: str, *, reads: tuple[str, ...] = ()
) -> Callable[[Check], GateCheck]:
    """Declare a gate check; its app registers it (`register_checks`) in ready()."""

    def declare(fn: Check) -> GateCheck:
        return GateCheck(name, description, fn, reads)

    return declare


def register_checks(module: ModuleType) -> None:
    """Register every gate check `module` declares with `@check`, in the order written."""
    for value in vars(module).values():
        if isinstance(value, GateCheck):
            registry.add(CHECKS, value.name, value)


def register_facts(key: str, loader: FactLoader, *, default: Any = None) -> None:
    """Load `loader(ids)[id]` into `GateFacts.extra[key]` when a check reads it."""
    registry.add(FACTS, key, FactSource(loader, default))


def gate_checks() -> Mapping[str, GateCheck]:
    return registry.entries(CHECKS)


def fact_sources() -> Mapping[str, FactSource]:
    return registry.entries(FACTS)


def known_check(name: object) -> str:
    """`name` if an app registered a gate check by it; else the error a policy shows."""
    checks = gate_checks()
    if not isinstance(name, str) or name not in checks:
        raise ValueError(f"unknown check '{name}'; known: {', '.join(sorted(checks))}")
    return name


def describe(name: str) -> str:
    """What the check named `name` checks, for a person reading the policy."""
    found = gate_checks().get(name)
    return found.description if found else name


def unread_facts() -> list[str]:
    """'check reads key' for every fact a registered check reads that no app loads."""
    sources = fact_sources()
    return [
        f"gate check '{c.name}' reads fact '{key}'; loaded facts: {', '.join(sorted(sources))}"
        for c in gate_checks().values()
        for key in c.reads
        if key not in sources
    ]
