"""The portfolio's controlled vocabularies.

The governance policy owns the stages: their keys, labels and order, and which stage plays
which `StageRole`. The keys below are the shipped default's, and this is the one module
that names them: code asks the policy in force for the stage with a role (`Policy.
stage_with_role`), never for a key, so a policy that renames `pilot` to `trial` works
throughout (tests/architecture/test_vocabulary.py keeps stage keys out of other modules).
The database stores plain keys, not an enum it would have to migrate.
"""

from collections.abc import Callable
from enum import StrEnum

from django.db import models

from aiom.core import registry


class StageRole(StrEnum):
    """What a stage means to the code; a policy gives each role to exactly one stage.

    A stage of the policy whose key is one of these names plays that role unless it says
    otherwise (`role:` in the policy), so policies written before roles keep their meaning.
    """

    PILOT = "pilot"  # a use case tried out under a pilot plan, to be scaled or stopped
    SCALING = "scaling"  # past the pilot, rolled out
    OPERATIONAL = "operational"  # in service: monitored, published, value realised
    RETIRED = "retired"  # taken out of service after operation (a normal end, never published)
    REJECTED = "rejected"  # not pursued: refused before a pilot
    STOPPED = "stopped"  # abandoned after feasibility or pilot (a pilot's stop decision)


IN_USE_ROLES = (StageRole.PILOT, StageRole.SCALING, StageRole.OPERATIONAL)
END_ROLES = (StageRole.RETIRED, StageRole.REJECTED, StageRole.STOPPED)  # terminal

DEFAULT_STAGES: list[tuple[str, str]] = [
    ("intake", "Intake"),
    ("feasibility", "Feasibility"),
    ("risk_review", "Risk review"),
    ("pilot", "Pilot"),
    ("scaling", "Scaling"),
    ("operational", "Operational"),
    ("retired", "Retired"),
    ("rejected", "Rejected"),
    ("stopped", "Stopped"),
]
STAGE_KEYS = [key for key, _ in DEFAULT_STAGES]
FIRST_STAGE = STAGE_KEYS[0]  # where a new use case starts unless told otherwise
STAGE_LABELS = dict(DEFAULT_STAGES)
ACTIVE_STAGES = frozenset(
    {"intake", "feasibility", "risk_review", "pilot", "scaling", "operational"}
)

# The stages in force, asked at run time of whoever provides them (governance, from the
# active policy) through the registry, so portfolio never imports governance; without a
# provider (an installation or test without governance) the default vocabulary answers.
StagesProvider = Callable[[], list[tuple[str, str]]]
_STORE = "stage_vocabulary"


def provide(fn: StagesProvider) -> None:
    """Make `fn` the answer to "which stages are in force" (keys and labels, in order)."""
    registry.add(_STORE, "stages", fn)


def stages() -> list[tuple[str, str]]:
    """The stages in force, `(key, label)` in the policy's order."""
    provider: StagesProvider | None = registry.entries(_STORE).get("stages")
    return provider() if provider else list(DEFAULT_STAGES)


def stage_keys() -> list[str]:
    return [key for key, _ in stages()]


def stage_labeller() -> Callable[[str], str]:
    """`stage_label` for many keys from one read of the stages in force (a list or a feed
    labels every row; outside a request each read of the stages reads the policy)."""
    labels = dict(stages())
    return lambda key: labels.get(key) or key.replace("_", " ").capitalize()


def stage_label(key: str) -> str:
    """The stage's label; a key no longer in force is shown readably rather than refused."""
    return stage_labeller()(key)


def first_stage() -> str:
    """Where a new use case starts."""
    return stages()[0][0]


def unknown_stage(value: object) -> str | None:
    """Why `value` is not a stage in force (naming the stages), or None when it is."""
    keys = stage_keys()
    return None if value in keys else f"unknown stage '{value}'; one of {', '.join(keys)}"


DEFAULT_THEMES: list[tuple[str, str, str]] = [
    ("cost-reduction", "Cost reduction", "Lower the cost to serve and to operate."),
    (
        "operational-excellence",
        "Operational excellence",
        "Faster, more reliable, better-controlled processes.",
    ),
    (
        "customer-experience",
        "Customer experience",
        "Serve customers faster, more personally, more accessibly.",
    ),
    (
        "innovation-acceleration",
        "Innovation acceleration",
        "New products, services and ways of working.",
    ),
    ("risk-mitigation", "Risk mitigation", "Detect and reduce fraud, error and compliance risk."),
]


class AIType(models.TextChoices):
    PREDICTIVE = "predictive", "Predictive / machine learning"
    GENERATIVE = "generative", "Generative / LLM"
    VISION = "vision", "Computer vision"
    NLP = "nlp", "Language processing (non-generative)"
    SPEECH = "speech", "Speech"
    OPTIMISATION = "optimisation", "Optimisation"
    RULES = "rules", "Rules / expert system"
    AGENT = "agent", "Agentic / autonomous"
    OTHER = "other", "Other"


class Sourcing(models.TextChoices):
    BUILD = "build", "Build in-house"
    BUY = "buy", "Buy (vendor product)"
    PARTNER = "partner", "Build with a partner"


class Environment(models.TextChoices):
    SANDBOX = "sandbox", "Sandbox"
    PRODUCTION = "production", "Production"
