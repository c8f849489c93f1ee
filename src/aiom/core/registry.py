"""Every extension point of aiom, in one place (in the spirit of NetBox's registry).

Apps plug into each other only through these stores, each filled in an AppConfig.ready()
through the owning app's typed `register` helper (never by writing here directly):

| store                | owner (typed helper)                 | what an entry is
|----------------------|--------------------------------------|-----------------
| `use_case_panels`    | `portfolio.panels.register`          | a use-case page section, ordered
| `use_case_hooks`     | `portfolio.hooks.subscribe`          | a call on "created", "facts changed"
| `gate_checks`        | `lifecycle.gate_registry.register_checks` | a check a stage gate can name
| `gate_facts`         | `lifecycle.gate_registry.register_facts` | facts a gate check reads, lazily
| `transition_guards`  | `lifecycle.guards.register`          | (ok, reason) before a move; stored
| `decision_guards`    | `governance.guards.register`         | (ok, reason) before a decision; kept
| `sweep_finders`      | `notifications.finders.register`     | a kind of finding the sweep makes
| `audit_listeners`    | `core.audit_hooks.listen`            | a call after each audit event
| `audit_guards`       | `core.audit_hooks.guard`             | a refusal before each audited write
| `audit_visibility`   | `core.visibility.visibility_rule`    | which audit events a reader may read
| `policy_sections`    | `governance.policy_sections.register` | an app's policy section schema
| `review_brief_sections` | `governance.reviews.brief_sections.register` | a review page section
| `stage_vocabulary`   | `portfolio.vocabulary.provide`       | the stages in force (one entry)

A store is a dict keyed by the entry's name; a name registered twice, or a store that does
not exist, is refused at start-up with the name in the error. The names the shipped and
active policy use are checked against the stores by system checks (`aiom check`):
`lifecycle.policy_startup` (gate checks, the facts they read), `notifications.startup`
(each finder's notice kind). `AGENTS.md` mirrors this
table; tests/architecture/test_registry.py checks that they agree with what is registered.
"""

from typing import Any

STORES = (
    "use_case_panels",
    "use_case_hooks",
    "gate_checks",
    "gate_facts",
    "transition_guards",
    "decision_guards",
    "sweep_finders",
    "audit_listeners",
    "audit_guards",
    "audit_visibility",
    "policy_sections",
    "review_brief_sections",
    "stage_vocabulary",
)


class RegistryError(LookupError):
    pass


class Registry(dict[str, dict[str, Any]]):
    """The stores, fixed at import: a lookup of an unknown store fails loudly."""

    def __missing__(self, store: str) -> dict[str, Any]:
        raise RegistryError(f"no extension point named {store!r}; there are: {', '.join(STORES)}")


registry = Registry({store: {} for store in STORES})


def add(store: str, name: str, entry: Any, *, replace: bool = False) -> None:
    """Put `entry` under `name` in `store`; a second entry of the same name is refused
    (`replace=True` is for tests that swap one in)."""
    entries = registry[store]
    if name in entries and not replace and entries[name] is not entry:
        raise RegistryError(f"{store}: {name!r} is registered twice")
    entries[name] = entry


def entries(store: str) -> dict[str, Any]:
    return registry[store]
