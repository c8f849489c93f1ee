"""Demo registry: the vendors the demo portfolio names, a handful of models, two platforms.

Called after the portfolio exists. Links follow each use case's AI type, sourcing and
free-text vendor, so the registry shows real reuse: the LLM gateway and the ML platform
serve many org units, while several units buy the same vendors' products on their own.
"""

import datetime as dt
import random

from django.contrib.auth.models import User

from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase
from aiom.technology import services
from aiom.technology.models import AIModel, Platform, Vendor

# name, website, DPA signed, contract years left (None: no contract), risk notes
VENDORS = [
    ("Microsoft", "https://www.microsoft.com", True, 2, "EU data boundary; tenant-isolated."),
    ("OpenAI", "https://openai.com", True, 1, "US processing; zero data retention agreed."),
    ("Anthropic", "https://www.anthropic.com", True, 1, ""),
    ("Google Cloud", "https://cloud.google.com", True, 3, ""),
    ("AWS", "https://aws.amazon.com", True, 3, "Shared responsibility model documented."),
    ("Salesforce", "https://www.salesforce.com", False, None, "Einstein features bought per unit."),
    ("Databricks", "https://www.databricks.com", False, 2, ""),
]
# name, version, vendor (None: in-house), type, licence, runs where, intended use, limits
MODELS = [
    (
        "GPT-4o",
        "2024-08-06",
        "OpenAI",
        "generative_llm",
        "Commercial API",
        "vendor_saas",
        "Drafting, summarising and answering over retrieved documents.",
        "May state wrong facts fluently; no knowledge after its training cut-off.",
    ),
    (
        "Claude 3.5 Sonnet",
        "20241022",
        "Anthropic",
        "generative_llm",
        "Commercial API",
        "vendor_saas",
        "Long-document summarisation and analysis.",
        "Refuses some borderline requests; output varies run to run.",
    ),
    (
        "Gemini 1.5 Pro",
        "002",
        "Google Cloud",
        "generative_llm",
        "Commercial API",
        "public_cloud",
        "Multimodal question answering over forms and images.",
        "Weaker on bank-specific jargon without examples in the prompt.",
    ),
    (
        "Azure AI Document Intelligence",
        "v4.0",
        "Microsoft",
        "vision",
        "Commercial API",
        "public_cloud",
        "OCR and field extraction from scanned documents.",
        "Handwriting and low-resolution scans lose accuracy.",
    ),
    (
        "Amazon Textract",
        "2024",
        "AWS",
        "vision",
        "Commercial API",
        "public_cloud",
        "OCR of forms and tables.",
        "No support for some Central-European scripts.",
    ),
    (
        "Whisper",
        "large-v3",
        None,
        "speech",
        "MIT",
        "on_prem",
        "Transcribing calls for quality review.",
        "Accents and cross-talk raise the error rate.",
    ),
    (
        "Card fraud scorer",
        "3.2",
        None,
        "predictive",
        "Internal",
        "private_cloud",
        "Scoring card transactions for fraud in real time.",
        "Trained on 2022-2024 fraud patterns; new attack types are missed until retrained.",
    ),
    (
        "Credit default (PD) model",
        "2.1",
        None,
        "predictive",
        "Internal",
        "private_cloud",
        "Probability of default for retail and SME lending decisions.",
        "Not validated for corporate borrowers.",
    ),
]
LLM_BY_VENDOR = {
    "OpenAI": "GPT-4o",
    "Anthropic": "Claude 3.5 Sonnet",
    "Google Cloud": "Gemini 1.5 Pro",
}
OWNERS = {"GPT-4o": "diego.alvarez", "Claude 3.5 Sonnet": "diego.alvarez"}


def _users(*names: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=names)}


def seed(*, today: dt.date, rng: random.Random) -> int:
    """Create the registry and link it to the portfolio; returns how many links were made."""
    people = _users("yuki.tanaka", "wei.chen", "diego.alvarez", "amara.nwosu")
    vendors: dict[str, Vendor] = {}
    for name, website, dpa, years, notes in VENDORS:
        vendors[name] = services.create_vendor(
            actor=None,
            name=name,
            website=website,
            contract_owner=people.get("yuki.tanaka"),
            contract_start=today - dt.timedelta(days=rng.randint(200, 900)) if years else None,
            contract_end=today + dt.timedelta(days=365 * years) if years else None,
            dpa_signed=dpa,
            data_processing_terms="Standard DPA with EU SCCs." if dpa else "",
            risk_notes=notes,
        )
    models: dict[str, AIModel] = {}
    for name, version, vendor, kind, licence, runs, use, limits in MODELS:
        owner = people.get(OWNERS.get(name, "wei.chen"))
        models[name] = services.create_model(
            actor=None,
            name=name,
            version=version,
            vendor=vendors.get(vendor) if vendor else None,
            model_type=kind,
            licence=licence,
            runs_where=runs,
            intended_use=use,
            known_limitations=limits,
            evaluation_summary=f"Evaluated by the AI office on a held-out set for: {use.lower()}",
            evaluated_on=today - dt.timedelta(days=rng.randint(20, 300)),
            owners=[owner] if owner else [],
        )
    units = {
        u.code: u for u in OrgUnit.objects.filter(code__in=["demo-ai-office", "demo-technology"])
    }
    platforms = {
        "ml": services.create_platform(
            actor=None,
            name="Group ML platform",
            description="Feature store, training pipelines and model serving for in-house models.",
            owner=people.get("wei.chen"),
            org_unit=units.get("demo-ai-office"),
            environments=["sandbox", "staging", "production"],
        ),
        "llm": services.create_platform(
            actor=None,
            name="LLM gateway",
            description="One governed entry point to approved LLMs: logging, redaction, quotas.",
            owner=people.get("diego.alvarez"),
            org_unit=units.get("demo-technology"),
            environments=["sandbox", "production"],
        ),
    }
    return _link(vendors, models, platforms, rng)


def _wanted(
    uc: UseCase,
    vendors: dict[str, Vendor],
    models: dict[str, AIModel],
    platforms: dict[str, Platform],
) -> list[tuple[AIModel | Platform | Vendor, str]]:
    """What a use case relies on, judged from its AI type, title, sourcing and vendor."""
    out: list[tuple[AIModel | Platform | Vendor, str]] = []
    title = uc.title.lower()
    if uc.ai_type in ("generative", "agent"):
        if uc.sourcing == "build" or uc.vendor in LLM_BY_VENDOR:
            out.append((platforms["llm"], "all LLM calls"))
            out.append((models[LLM_BY_VENDOR.get(uc.vendor, "GPT-4o")], "generation"))
    elif uc.ai_type == "predictive":
        if uc.sourcing == "build":
            out.append((platforms["ml"], "training and serving"))
        if "fraud" in title:
            out.append((models["Card fraud scorer"], "fraud score as a feature"))
        elif "credit" in title or "default" in title:
            out.append((models["Credit default (PD) model"], "default probability"))
    elif uc.ai_type == "vision" or (uc.ai_type == "nlp" and "document" in title):
        ocr = "Amazon Textract" if uc.vendor == "AWS" else "Azure AI Document Intelligence"
        out.append((models[ocr], "document OCR"))
    elif uc.ai_type == "speech":
        out.append((models["Whisper"], "call transcription"))
    if uc.sourcing != "build" and uc.vendor in vendors:
        out.append((vendors[uc.vendor], "product licence"))
    return out


def _link(
    vendors: dict[str, Vendor],
    models: dict[str, AIModel],
    platforms: dict[str, Platform],
    rng: random.Random,
) -> int:
    links = 0
    cases = UseCase.objects.exclude(stage="rejected").order_by("pk")
    for uc in cases.select_related("org_unit"):
        for record, purpose in _wanted(uc, vendors, models, platforms):
            services.link(actor=None, use_case=uc, record=record, purpose=purpose)
            links += 1
    rng.random()  # the seed order stays stable if links ever become random
    return links
