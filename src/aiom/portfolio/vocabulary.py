"""The portfolio's controlled vocabularies.

Stage keys are the defaults; the governance policy (a later issue) will define stages,
so the database stores plain keys, not an enum it would have to migrate.
"""

from django.db import models

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
STAGE_LABELS = dict(DEFAULT_STAGES)
ACTIVE_STAGES = frozenset(
    {"intake", "feasibility", "risk_review", "pilot", "scaling", "operational"}
)

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
