"""The demo organisation and its portfolio as plain data: no ORM, no dates, no database.

`build_use_cases()` turns the ideas in `texts` into use-case specs with a seeded
random generator, so the content is identical on every run; dates are kept as "days ago"
and only become dates when the loader knows what today is.
"""

import random
import unicodedata
from dataclasses import dataclass, replace

from aiom.demo.texts import CAPABILITIES, IDEAS, Capability, Idea

SEED = 20261127
MARKER_CODE = "demo-group"  # the top org unit; its presence means the demo is loaded
DEMO_PASSWORD = "aiom-demo"  # noqa: S105 - published on purpose: every demo login uses it
ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    parent: str | None  # code of the parent unit
    lead: str  # username
    description: str


@dataclass(frozen=True)
class PersonSpec:
    username: str
    first_name: str
    last_name: str
    unit: str | None  # code of the home unit
    job_title: str
    roles: tuple[tuple[str, str | None], ...]  # (role, unit code or None for global)

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


@dataclass(frozen=True)
class UseCaseSpec:
    external_id: str
    title: str
    problem: str
    description: str
    value_hypothesis: str
    unit: str
    owner: str | None
    sponsor: str | None
    theme: str
    ai_type: str
    sourcing: str
    vendor: str
    environment: str
    customer_facing: bool
    personal_data: bool
    automated_decisions: bool
    risk_notes: str
    stage: str
    proposed_days_ago: int
    stage_days_ago: int
    benefit_eur: int | None
    confidential: bool


# code | name | parent code | lead's username | description
_UNITS = """
demo-group | Group | - | eleanor.whitfield | The banking and insurance group as a whole.
demo-ai-office | AI Enablement Office | demo-group | amara.nwosu | Central AI enablement team.
demo-retail | Retail Banking | demo-group | marcus.okafor | Everyday banking and lending.
demo-cards | Cards & Payments | demo-retail | sofia.marino | Debit and credit cards, payments.
demo-mortgages | Mortgages | demo-retail | daniel.kowalski | Mortgage lending and servicing.
demo-commercial | Commercial Banking | demo-group | priya.raman | Small and mid-sized businesses.
demo-wealth | Wealth Management | demo-group | henrik.lindqvist | Advice and investments.
demo-insurance | Insurance | demo-group | chloe.dubois | Home, motor and life insurance.
demo-claims | Claims | demo-insurance | mateo.garcia | Claims handling for all lines.
demo-operations | Operations | demo-group | grace.adeyemi | Back office and service delivery.
demo-contact-centre | Contact Centre | demo-operations | patrick.doyle | Phone, chat and e-mail.
demo-procurement | Procurement | demo-operations | yuki.tanaka | Suppliers, sourcing, payables.
demo-technology | Technology | demo-group | rahul.mehta | IT, engineering and security.
demo-risk | Risk & Compliance | demo-group | isabelle.laurent | Risk, compliance and legal.
demo-finance | Finance | demo-group | stefan.becker | Accounting, planning and treasury.
demo-hr | HR & People | demo-group | aisha.rahman | Recruitment, reward and wellbeing.
demo-marketing | Marketing | demo-group | lucas.ferreira | Brand, campaigns and digital.
"""

# first | last | home unit (without "demo-") | job title | roles: role[@unit], ...
_PEOPLE = """
Eleanor | Whitfield | group | Group Chief Executive | executive_sponsor
Amara | Nwosu | ai-office | Head of AI Enablement | ai_expert
Marcus | Okafor | retail | Chief Executive, Retail Banking | executive_sponsor@retail
Sofia | Marino | cards | Head of Cards & Payments | business_owner@cards
Daniel | Kowalski | mortgages | Head of Mortgages | business_owner@mortgages
Priya | Raman | commercial | Chief Executive, Commercial Banking | executive_sponsor@commercial
Henrik | Lindqvist | wealth | Head of Wealth Management | executive_sponsor@wealth
Chloé | Dubois | insurance | Chief Executive, Insurance | executive_sponsor@insurance
Mateo | García | claims | Head of Claims | business_owner@claims
Grace | Adeyemi | operations | Chief Operating Officer | executive_sponsor@operations
Patrick | Doyle | contact-centre | Head of Contact Centre | business_owner@contact-centre
Yuki | Tanaka | procurement | Head of Procurement | business_owner@procurement
Rahul | Mehta | technology | Chief Technology Officer | executive_sponsor@technology
Isabelle | Laurent | risk | Chief Risk Officer | executive_sponsor@risk
Stefan | Becker | finance | Chief Financial Officer | executive_sponsor@finance
Aisha | Rahman | hr | Chief People Officer | executive_sponsor@hr
Lucas | Ferreira | marketing | Chief Marketing Officer | executive_sponsor@marketing
Victoria | Ashworth | group | Group Strategy Director | business_owner@group
Olivia | Bennett | retail | Head of Digital Banking | business_owner@retail
Kwame | Mensah | retail | Head of Personal Lending | business_owner@retail
Elena | Petrova | cards | Head of Payments Operations | business_owner@cards
James | O'Connor | mortgages | Head of Mortgage Underwriting | business_owner@mortgages
Mei | Zhang | commercial | Head of SME Banking | business_owner@commercial
Thomas | Müller | commercial | Head of Corporate Lending | business_owner@commercial
Charlotte | Evans | wealth | Head of Advice | business_owner@wealth
Ahmed | Hassan | insurance | Head of Underwriting | business_owner@insurance
Nadia | Benali | operations | Head of Service Operations | business_owner@operations
Omar | Farouk | technology | Head of IT Service Management | business_owner@technology
Sarah | Goldberg | risk | Head of Financial Crime | business_owner@risk
Jan | de Vries | finance | Group Financial Controller | business_owner@finance
Fatima | Al-Sayed | hr | Head of Talent Acquisition | business_owner@hr
Noah | Andersen | marketing | Head of Digital Marketing | business_owner@marketing
Wei | Chen | ai-office | Lead Data Scientist | ai_expert
Diego | Álvarez | ai-office | AI Solutions Architect | ai_expert
Rosa | Castillo | commercial | Senior Credit Analyst | domain_expert@commercial
Georgios | Papadopoulos | claims | Senior Claims Specialist | domain_expert@claims
Anika | Patel | cards | Fraud Strategy Manager | domain_expert@cards
Ben | Carter | operations | Change Manager | change_champion@operations
Zoë | Nakamura | retail | Digital Adoption Lead | change_champion@retail
Maria | Santos | retail | Customer Data Steward | data_steward@retail
Erik | Johansson | finance | Finance Data Steward | data_steward@finance
Chiara | Bianchi | technology | Head of Data Governance | data_steward
David | Cohen | risk | Model Risk Manager | risk_reviewer
Leila | Haddad | risk | Risk Partner, Insurance | risk_reviewer@insurance
Margaret | Okonkwo | risk | Head of Regulatory Compliance | compliance_reviewer
Sanjay | Iyer | risk | Compliance Partner, Retail Banking | compliance_reviewer@retail
Tomasz | Nowak | risk | Model Validation Lead | risk_reviewer
Ingrid | Halvorsen | risk | Senior Compliance Officer | compliance_reviewer
Alex | Turner | - | Consultant, Northwind Consulting (external) | partner@contact-centre
Platform | Administrator | ai-office | aiom administrator | administrator
"""


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and c.isascii()).lower()


def _unit_code(short: str) -> str | None:
    return None if short == "-" else f"demo-{short}"


def _units() -> tuple[UnitSpec, ...]:
    found = []
    for line in _UNITS.strip().splitlines():
        code, name, parent, lead, description = (p.strip() for p in line.split("|"))
        found.append(UnitSpec(code, name, None if parent == "-" else parent, lead, description))
    return tuple(found)


def _people() -> tuple[PersonSpec, ...]:
    found = []
    for line in _PEOPLE.strip().splitlines():
        first, last, unit, title, role_list = (p.strip() for p in line.split("|"))
        roles: list[tuple[str, str | None]] = []
        for entry in role_list.split(","):
            role, _, scope = entry.strip().partition("@")
            roles.append((role, _unit_code(scope) if scope else None))
        username = (
            ADMIN_USERNAME if role_list == "administrator" else f"{_ascii(first)}.{_ascii(last)}"
        )
        found.append(PersonSpec(username, first, last, _unit_code(unit), title, tuple(roles)))
    return tuple(found)


UNITS = _units()
PEOPLE = _people()

# stage: (share of the portfolio, proposed between N and M days ago,
#         share of the time since proposal already spent before entering the stage)
STAGE_PLAN: dict[str, tuple[float, tuple[int, int], tuple[float, float]]] = {
    "intake": (0.23, (2, 150), (0.0, 0.0)),
    "feasibility": (0.19, (20, 300), (0.1, 0.4)),
    "risk_review": (0.11, (45, 420), (0.3, 0.6)),
    "pilot": (0.14, (90, 600), (0.4, 0.75)),
    "scaling": (0.07, (200, 780), (0.6, 0.85)),
    "operational": (0.12, (270, 900), (0.65, 0.9)),
    "retired": (0.03, (600, 910), (0.9, 0.98)),
    "rejected": (0.06, (20, 700), (0.05, 0.5)),
    "stopped": (0.05, (150, 850), (0.4, 0.9)),
}
NO_OWNER_SHARE = 0.06
CONFIDENTIAL_SHARE = 0.08
PARTNER_FIRMS = ("Accenture", "Capgemini", "Deloitte", "Thoughtworks")
GLOBAL = "*"  # key of the pool of sponsors who hold the role for the whole organisation


def _funnel(n: int) -> list[str]:
    """`n` stage keys in the plan's proportions; rounding leftovers go to intake."""
    stages = [key for key, (share, _, _) in STAGE_PLAN.items() for _ in range(round(n * share))]
    stages = stages[:n]
    return stages + ["intake"] * (n - len(stages))


def _owner_pools() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {u.code: [u.lead] for u in UNITS}
    for person in PEOPLE:
        for role, unit in person.roles:
            if role == "business_owner" and unit is not None:
                pools[unit].append(person.username)
    return pools


def _sponsor_pools() -> dict[str, list[str]]:
    """Per unit, the executive sponsors scoped to it or to one of its ancestors."""
    parents = {u.code: u.parent for u in UNITS}
    scoped: dict[str | None, list[str]] = {}
    for person in PEOPLE:
        for role, unit in person.roles:
            if role == "executive_sponsor":
                scoped.setdefault(unit, []).append(person.username)
    pools: dict[str, list[str]] = {}
    for code in parents:
        pool: list[str] = []
        at: str | None = code
        while at is not None:
            pool += scoped.get(at, [])
            at = parents[at]
        pools[code] = pool or scoped[None]
    pools[GLOBAL] = scoped[None]
    return pools


def _risk_notes(cap: Capability, facts: str, sourcing: str, vendor: str) -> str:
    notes = []
    if "P" in facts:
        notes.append("Uses personal data: a data-protection impact assessment is required.")
    if "C" in facts:
        notes.append("Customer-facing: people must be told that AI is involved.")
    if "A" in facts:
        notes.append(
            "Shapes decisions about individuals: adverse outcomes need human review and an "
            "explanation the person can understand."
        )
    if cap.ai_type == "generative":
        notes.append("Generative model: grounded on approved sources to limit made-up answers.")
    if sourcing != "build":
        notes.append(f"Third party involved: {vendor} needs vendor due diligence.")
    return " ".join(notes)


def _use_case(
    rng: random.Random, idea: Idea, stage: str, people: tuple[str | None, str | None]
) -> UseCaseSpec:
    cap = CAPABILITIES[idea.capability]
    facts = cap.risk_facts if idea.risk_facts is None else idea.risk_facts
    words = {
        "thing": idea.thing,
        "Thing": idea.thing[:1].upper() + idea.thing[1:],
        "who": idea.who,
        "Who": idea.who[:1].upper() + idea.who[1:],
        "pct": rng.choice((15, 20, 25, 30, 35, 40, 50)),
        "minutes": rng.choice((5, 8, 10, 15)),
    }
    draw = rng.random()
    sourcing = "build"
    if draw < cap.buy_share:
        sourcing, vendor = "buy", rng.choice(cap.vendors)
        closing = f" It builds on a product from {vendor}."
    elif draw < cap.buy_share + 0.1:
        sourcing, vendor = "partner", rng.choice(PARTNER_FIRMS)
        closing = f" It is being delivered together with {vendor}."
    else:
        vendor, closing = "", " It is built in-house on the group's data and AI platform."
    _, (oldest, newest), (slow, fast) = STAGE_PLAN[stage]
    proposed_ago = rng.randint(oldest, newest)
    stage_ago = round(proposed_ago * (1 - rng.uniform(slow, fast)))
    live = stage in ("scaling", "operational", "retired") or (
        stage == "pilot" and rng.random() < 0.3
    )
    low, high = cap.benefit_k_eur
    return UseCaseSpec(
        external_id="",
        title=idea.title,
        problem=rng.choice(cap.problems).format(**words),
        description=cap.description.format(**words) + closing,
        value_hypothesis=cap.value.format(**words),
        unit=idea.unit,
        owner=people[0],
        sponsor=people[1],
        theme=cap.themes[0] if rng.random() < 0.75 else cap.themes[1],
        ai_type=cap.ai_type,
        sourcing=sourcing,
        vendor=vendor,
        environment="production" if live else "sandbox",
        customer_facing="C" in facts,
        personal_data="P" in facts,
        automated_decisions="A" in facts,
        risk_notes=_risk_notes(cap, facts, sourcing, vendor),
        stage=stage,
        proposed_days_ago=proposed_ago,
        stage_days_ago=max(0, min(stage_ago, proposed_ago)),
        benefit_eur=rng.randrange(low, high + 1, 5) * 1000 if rng.random() < 0.85 else None,
        confidential=False,
    )


def build_use_cases(seed: int = SEED) -> list[UseCaseSpec]:
    """Every demo use case, oldest proposal first, numbered DEMO-0001 onwards.

    Same seed, same list: the generator is the only source of variation, so change the
    order of draws (or of IDEAS) and every use case after that point changes too.
    """
    rng = random.Random(seed)
    n = len(IDEAS)
    stages = _funnel(n)
    rng.shuffle(stages)
    ownerless = set(rng.sample(range(n), round(n * NO_OWNER_SHARE)))
    confidential = set(rng.sample(range(n), round(n * CONFIDENTIAL_SHARE)))
    owners, sponsors = _owner_pools(), _sponsor_pools()
    specs = []
    for i, (idea, stage) in enumerate(zip(IDEAS, stages, strict=True)):
        owner = None if i in ownerless else rng.choice(owners[idea.unit])
        pool = sponsors[idea.unit] if rng.random() < 0.8 else sponsors[GLOBAL]
        sponsor = rng.choice(pool) if rng.random() < 0.85 else None
        spec = _use_case(rng, idea, stage, (owner, sponsor))
        specs.append(replace(spec, confidential=i in confidential))
    specs.sort(key=lambda s: (-s.proposed_days_ago, s.title))
    return [replace(s, external_id=f"DEMO-{number:04d}") for number, s in enumerate(specs, start=1)]
