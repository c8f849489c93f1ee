"""Demo data products: a small catalogue with stewards, lineage and quality history.

Called by the demo loader after the portfolio exists. Products are linked to the use
cases past intake whose titles mention what they consume; a few fall below the quality
floor or have gone stale, so data readiness is a real figure with real laggards.
"""

import datetime as dt
import random

from django.contrib.auth.models import User

from aiom.catalogue import services
from aiom.catalogue.models import DataProduct
from aiom.organisation.models import OrgUnit
from aiom.portfolio.models import UseCase

# name, domain code, steward username, classification, personal data, quality, days since
# check, upstream names, words in use-case titles that consume it
PRODUCTS: list[tuple[str, str, str, str, bool, int, int, tuple[str, ...], tuple[str, ...]]] = [
    (
        "Customer master",
        "demo-retail",
        "maria.santos",
        "confidential",
        True,
        88,
        20,
        (),
        ("customer", "client", "kyc", "onboarding"),
    ),
    (
        "Card transactions",
        "demo-cards",
        "maria.santos",
        "restricted",
        True,
        91,
        7,
        ("Customer master",),
        ("card", "fraud", "chargeback", "payment", "transaction"),
    ),
    (
        "Contact-centre interactions",
        "demo-operations",
        "chiara.bianchi",
        "confidential",
        True,
        74,
        40,
        ("Customer master",),
        ("call", "contact", "complaint", "e-mail", "chat"),
    ),
    (
        "Mortgage applications",
        "demo-retail",
        "maria.santos",
        "confidential",
        True,
        66,
        30,
        ("Customer master",),
        ("mortgage", "underwriting", "affordab", "applicant"),
    ),
    (
        "Claims history",
        "demo-insurance",
        "chiara.bianchi",
        "confidential",
        True,
        82,
        60,
        (),
        ("claim", "loss", "fnol"),
    ),
    (
        "Policy documents",
        "demo-insurance",
        "chiara.bianchi",
        "internal",
        False,
        79,
        250,
        (),
        ("policy", "underwrit", "renewal"),
    ),
    (
        "General ledger",
        "demo-finance",
        "erik.johansson",
        "confidential",
        False,
        93,
        10,
        (),
        ("ledger", "journal", "reconciliation", "close", "report"),
    ),
    (
        "Supplier invoices",
        "demo-finance",
        "erik.johansson",
        "internal",
        False,
        58,
        15,
        ("General ledger",),
        ("invoice", "supplier", "procurement", "spend", "payable"),
    ),
    (
        "HR records",
        "demo-hr",
        "chiara.bianchi",
        "restricted",
        True,
        77,
        90,
        (),
        ("employee", "candidate", "recruit", "hr", "interview", "exit"),
    ),
    (
        "Product and pricing catalogue",
        "demo-marketing",
        "chiara.bianchi",
        "internal",
        False,
        85,
        45,
        (),
        ("pricing", "campaign", "marketing", "product"),
    ),
    (
        "IT service tickets",
        "demo-technology",
        "chiara.bianchi",
        "internal",
        False,
        72,
        120,
        (),
        ("it service", "ticket", "incident", "knowledge", "infrastructure"),
    ),
    (
        "Market data feed",
        "demo-wealth",
        "chiara.bianchi",
        "internal",
        False,
        95,
        3,
        (),
        ("market", "portfolio", "investment", "advice", "wealth"),
    ),
]
SOURCES = {
    "Market data feed": ["Vendor market data (licensed)"],
    "Customer master": ["Core banking system", "CRM"],
    "Claims history": ["Claims administration system"],
}


def seed(*, today: dt.date, rng: random.Random) -> int:
    """Create the catalogue and its links; returns how many links were made."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__startswith="demo-")}
    stewards = {u.username: u for u in User.objects.filter(username__in={p[2] for p in PRODUCTS})}
    made: dict[str, DataProduct] = {}
    for name, domain, steward, classification, personal, quality, age, upstream, _ in PRODUCTS:
        if domain not in units or steward not in stewards:
            continue
        product = services.create_data_product(
            actor=None,
            name=name,
            domain=units[domain],
            steward=stewards[steward],
            classification=classification,
            personal_data=personal,
            description=f"The governed source of {name.lower()} for analytics and AI.",
            upstream=[made[u] for u in upstream if u in made],
            external_sources=SOURCES.get(name, []),
            tags=[domain.removeprefix("demo-")],
        )
        earlier = max(85, quality) if quality < 70 else quality - rng.randint(0, 6)
        services.record_quality(
            actor=None,
            product=product,
            score=earlier,
            checked_on=today - dt.timedelta(days=age + 90),
        )
        services.record_quality(
            actor=None, product=product, score=quality, checked_on=today - dt.timedelta(days=age)
        )
        made[name] = product
    return _link(made, rng)


def _link(made: dict[str, DataProduct], rng: random.Random) -> int:
    links = 0
    cases = UseCase.objects.exclude(stage__in=("intake", "rejected", "retired")).order_by("pk")
    for uc in cases:
        text = f"{uc.title} {uc.problem}".lower()
        wanted = [made[p[0]] for p in PRODUCTS if p[0] in made and any(w in text for w in p[8])]
        for product in wanted[:2]:
            services.link_use_case(
                actor=None,
                use_case=uc,
                product=product,
                purpose=rng.choice(
                    (
                        "training data",
                        "features at scoring time",
                        "retrieval for answers",
                        "evaluation and monitoring",
                    )
                ),
            )
            links += 1
    return links
