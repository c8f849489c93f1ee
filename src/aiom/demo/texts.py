"""The words of the demo portfolio: AI capabilities and the ideas of each org unit.

Pure data. Each capability's sentences take `{thing}` (a plural noun phrase: what the work
is about) and `{who}` (the people doing it today). An idea's phrases are dropped into its
capability's sentences unchecked, so read a new idea line in context before adding it.
"""

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    """One kind of AI solution: AI type, likely themes, risk facts, vendors and sentences."""

    ai_type: str
    themes: tuple[str, str]  # (usual theme, occasional theme)
    risk_facts: str  # letters, as in _PROFILES
    buy_share: float  # how often it is bought rather than built
    benefit_k_eur: tuple[int, int]  # expected annual benefit, thousands of EUR
    vendors: tuple[str, ...]
    problems: tuple[str, str]
    description: str
    value: str


@dataclass(frozen=True)
class Idea:
    """One use-case idea of one org unit, in the words its capability needs."""

    unit: str
    title: str
    capability: str
    thing: str
    who: str
    risk_facts: str | None = None  # replaces the capability's, in the same letters


# capability | AI type | usual, occasional theme | risk facts | buy share | benefit kEUR
# Risk facts: C customer-facing, P personal data, A automated decisions about people.
_PROFILES = """
extract | nlp | cost-reduction, operational-excellence | P | 0.45 | 80-900
summarise | generative | operational-excellence, customer-experience | P | 0.5 | 100-1200
triage | nlp | operational-excellence, customer-experience | P | 0.35 | 60-600
forecast | predictive | operational-excellence, cost-reduction | - | 0.2 | 50-800
anomaly | predictive | risk-mitigation, cost-reduction | P | 0.35 | 200-2500
assistant | generative | customer-experience, cost-reduction | CP | 0.6 | 150-1500
knowledge | generative | operational-excellence, innovation-acceleration | - | 0.45 | 50-500
draft | generative | cost-reduction, customer-experience | P | 0.4 | 40-450
propensity | predictive | customer-experience, risk-mitigation | P | 0.25 | 150-2000
scoring | predictive | risk-mitigation, customer-experience | CPA | 0.3 | 200-3000
optimise | optimisation | cost-reduction, operational-excellence | - | 0.3 | 100-1500
agent | agent | innovation-acceleration, cost-reduction | P | 0.5 | 100-1200
speech | speech | risk-mitigation, customer-experience | P | 0.6 | 100-900
vision | vision | operational-excellence, customer-experience | P | 0.5 | 80-1200
rules | rules | risk-mitigation, operational-excellence | P | 0.3 | 50-600
insight | other | innovation-acceleration, operational-excellence | - | 0.5 | 100-1000
code | generative | innovation-acceleration, cost-reduction | - | 0.7 | 150-1500
"""

_VENDORS: dict[str, tuple[str, ...]] = {
    "extract": ("Microsoft", "Google Cloud", "AWS", "UiPath"),
    "summarise": ("Microsoft", "Anthropic", "OpenAI", "Salesforce"),
    "triage": ("ServiceNow", "Salesforce", "Microsoft"),
    "forecast": ("Databricks", "Google Cloud", "AWS"),
    "anomaly": ("Palantir", "Databricks", "AWS", "Google Cloud"),
    "assistant": ("Microsoft", "Salesforce", "Google Cloud", "Anthropic", "OpenAI"),
    "knowledge": ("Microsoft", "Anthropic", "OpenAI", "ServiceNow"),
    "draft": ("Microsoft", "OpenAI", "Anthropic", "Google Cloud"),
    "propensity": ("Salesforce", "Databricks", "Google Cloud"),
    "scoring": ("FICO", "Salesforce", "Databricks", "AWS"),
    "optimise": ("Google Cloud", "AWS", "Palantir"),
    "agent": ("UiPath", "ServiceNow", "Salesforce", "Anthropic", "OpenAI"),
    "speech": ("Microsoft", "Google Cloud", "AWS"),
    "vision": ("Google Cloud", "AWS", "Microsoft"),
    "rules": ("Pegasystems", "FICO", "ServiceNow"),
    "insight": ("Celonis", "Palantir", "Databricks"),
    "code": ("Microsoft", "Anthropic", "Google Cloud", "AWS"),
}

# Per capability, four paragraphs: two ways to put the problem, the solution, the value.
_SENTENCES: dict[str, str] = {
    "extract": """
    {Who} re-key details from {thing} by hand. Each item takes several minutes, mistakes
    surface weeks later, and backlogs build up at peak times.

    Most {thing} arrive as PDFs, scans or e-mail attachments, so {who} copy the details
    into our systems manually: slow, tedious and error-prone work.

    An intelligent document-processing pipeline reads incoming {thing}, extracts the key
    fields, checks them against reference data and sends only low-confidence items to
    {who} for review.

    Cut manual handling of {thing} by about {pct}% and reduce re-keying errors.
    """,
    "summarise": """
    {Who} spend a large part of their day writing up {thing}; the notes vary in quality,
    and key points are often missing when someone picks the case up later.

    Records of {thing} are long, unstructured and inconsistent, so {who} re-read
    everything before they can act.

    A large language model drafts a structured summary of {thing}: key facts, actions
    agreed and open questions. {Who} check and correct every summary before it is saved.

    Save {who} around {minutes} minutes per case and keep records consistent enough to
    act on.
    """,
    "triage": """
    Incoming {thing} land in one shared queue and {who} sort them by hand, so urgent
    items wait behind routine ones.

    {Who} read each of the {thing} just to decide who should deal with it, and about one
    in five ends up with the wrong team.

    A language-processing model classifies {thing} on arrival by topic and urgency and
    routes each to the right team; items it is unsure about go to {who}.

    Route about {pct}% of {thing} automatically and shorten the time to first action.
    """,
    "forecast": """
    Planning for {thing} relies on spreadsheets and last year's figures, so {who}
    regularly over- or under-plan.

    {Who} produce forecasts of {thing} by hand every month; they are late, hard to
    explain and often wrong at busy times.

    A machine-learning model forecasts {thing} from historical data, seasonality and
    business drivers, with a confidence range that {who} can plan against.

    Improve forecast accuracy for {thing} by about {pct}% and free {who} from manual
    spreadsheet work.
    """,
    "anomaly": """
    Unusual patterns in {thing} are found late, through sampling or after a loss,
    because {who} can review only a small fraction by hand.

    Today's threshold rules on {thing} raise a flood of false alerts, and {who} still
    miss the cases that matter.

    An anomaly-detection model scores all {thing} continuously and explains each alert,
    so {who} investigate the riskiest cases first.

    Detect problems in {thing} earlier and cut false alerts for {who} by about {pct}%.
    """,
    "assistant": """
    Customers ask the same questions about {thing} again and again, and {who} answer
    them one by one, often outside business hours.

    Simple questions about {thing} make up a large share of contacts, and customers wait
    in queues for answers that {who} give from the same few pages.

    A conversational assistant in the app and on the website answers questions about
    {thing} from approved content only, and hands the conversation over to {who} when it
    cannot help.

    Answer around {pct}% of questions about {thing} without a hand-over, around the
    clock.
    """,
    "knowledge": """
    Answers about {thing} are scattered across intranet pages, manuals and e-mails, so
    {who} spend time searching or ask a colleague.

    {Who} often give different answers to the same question about {thing}, because the
    guidance is long and changes often.

    A retrieval-augmented assistant answers questions about {thing} from the approved
    document set and cites its source for every answer, so {who} can check it.

    Cut the time {who} spend looking for answers by about {pct}% and make answers
    consistent.
    """,
    "draft": """
    {Who} write {thing} largely from scratch, which is slow and produces uneven tone and
    quality.

    Writing {thing} takes {who} hours each week, much of it spent reassembling standard
    wording.

    A generative assistant produces first drafts of {thing} from the relevant data and
    approved templates; {who} review, edit and approve every draft before it is used.

    Reduce drafting time for {thing} by about {pct}% while a person stays in control of
    every word.
    """,
    "propensity": """
    {Who} learn about {thing} too late to act, because nothing warns them in advance.

    The signals that point to {thing} sit in several systems, and {who} cannot see them
    together in time.

    A predictive model estimates each week, case by case, the likelihood of {thing} and
    suggests a next best action that {who} can accept or dismiss.

    Act earlier on {thing} and improve the success rate of targeted contacts by about
    {pct}%.
    """,
    "scoring": """
    Decisions on {thing} are made case by case by {who}; they take days and are not
    always consistent.

    {Who} assess each of the {thing} by hand, including the many straightforward ones,
    so people wait and complex cases get too little attention.

    A scoring model recommends an outcome for each of the {thing} together with the main
    reasons; straightforward cases are decided automatically within policy limits, and
    the rest go to {who}.

    Decide most {thing} on the same day and apply policy more consistently.
    """,
    "optimise": """
    {Who} plan {thing} by hand, juggling many constraints, and the result is rarely the
    best use of people or money.

    Plans for {thing} are built in spreadsheets that take days to update, so {who}
    cannot react when circumstances change.

    An optimisation engine proposes a plan for {thing} that respects the business
    constraints; {who} adjust and approve it.

    Plan {thing} in minutes rather than days, with about {pct}% better use of budget and
    capacity.
    """,
    "agent": """
    Handling {thing} means {who} work through the same routine steps across five or six
    systems.

    {Thing} follow a predictable sequence of checks, look-ups and updates, yet {who}
    carry out every step by hand.

    An AI agent carries out the routine steps of {thing} across the systems involved,
    gathering data, filling in forms and updating records, and asks {who} for approval
    before anything irreversible happens.

    Take about {pct}% of the manual effort out of {thing} and let {who} focus on the
    exceptions.
    """,
    "speech": """
    Thousands of recorded calls about {thing} are never listened to, so {who} miss
    complaints, signs of vulnerability and compliance breaches.

    {Who} can review only a small sample of calls about {thing}, picked at random, and
    findings arrive weeks later.

    Speech-to-text transcribes calls about {thing}, and speech analytics flag topics,
    sentiment and required disclosures, giving {who} a searchable view of every call.

    Review every call about {thing} instead of a small sample, and spot issues within
    days.
    """,
    "vision": """
    {Who} inspect {thing} one by one, which is slow and depends on individual judgement.

    Checking {thing} by eye is a bottleneck: {who} spend hours on it and still miss
    discrepancies.

    A computer-vision model examines {thing}, flags defects and discrepancies and
    pre-fills the assessment for {who} to confirm.

    Assess {thing} about {pct}% faster and with more consistent outcomes.
    """,
    "rules": """
    The checks on {thing} live in people's heads and old spreadsheets, so {who} apply
    them unevenly and audits find gaps.

    {Who} check {thing} against a long list of conditions by hand, and nobody can show
    afterwards which checks were done.

    A rules engine codifies the checks on {thing}, applies them to every case and
    records which rule fired, giving {who} and the auditors a clear trail.

    Apply every check to every case and reduce audit findings on {thing}.
    """,
    "insight": """
    Nobody has an end-to-end view of {thing}: {who} know where their own step is slow,
    but not where the whole process loses time.

    {Who} suspect that {thing} involve a lot of rework and hand-offs, but no one can say
    where or how often.

    Process mining and graph analytics rebuild the real path of {thing} through our
    systems from event logs, showing {who} the bottlenecks, rework loops and unusual
    routes.

    Find and remove the biggest delays in {thing}, aiming at an end-to-end cycle time
    about {pct}% shorter.
    """,
    "code": """
    {Who} spend much of their time on repetitive work around {thing}: boilerplate, tests
    and documentation.

    Work on {thing} is slowed by a shortage of people who know the code well, so {who}
    spend days reading before they can change anything.

    An AI coding assistant in the developers' tools suggests code, tests and
    documentation for {thing}; every suggestion is reviewed and goes through the normal
    build pipeline.

    Raise delivery throughput on {thing} by about {pct}% without lowering quality.
    """,
}


def _paragraphs(block: str) -> list[str]:
    return [" ".join(p.split()) for p in textwrap.dedent(block).strip().split("\n\n")]


def _capabilities() -> dict[str, Capability]:
    found: dict[str, Capability] = {}
    for line in _PROFILES.strip().splitlines():
        key, ai_type, themes, flags, buy, benefit = (part.strip() for part in line.split("|"))
        usual, occasional = (t.strip() for t in themes.split(","))
        low, high = (int(n) for n in benefit.split("-"))
        problem_a, problem_b, description, value = _paragraphs(_SENTENCES[key])
        found[key] = Capability(
            ai_type=ai_type,
            themes=(usual, occasional),
            risk_facts=flags.strip("-"),
            buy_share=float(buy),
            benefit_k_eur=(low, high),
            vendors=_VENDORS[key],
            problems=(problem_a, problem_b),
            description=description,
            value=value,
        )
    return found


CAPABILITIES = _capabilities()

# Per org unit, one idea a line: title | capability | thing | who [| risk facts, when not
# the capability's: "-" for none, else letters as in _PROFILES].
_IDEAS: dict[str, str] = {
    "demo-group": """
    Board pack summarisation | summarise | board and committee papers | company secretaries | -
    Strategy research assistant | knowledge | markets and competitors | strategy analysts
    Regulatory horizon scanning | triage | regulatory publications | regulatory affairs staff | -
    Investor relations answer drafting | draft | answers to investor questions | the IR team | -
    ESG report drafting | draft | sustainability report sections | the sustainability team | -
    """,
    "demo-ai-office": """
    Model documentation drafting | draft | model cards and validation reports | data scientists | -
    AI use-case intake triage | triage | AI use-case proposals | the enablement team
    Prompt and pattern library search | knowledge | approved prompts and patterns | AI teams
    Model drift monitoring | anomaly | model inputs and predictions | model owners
    Data catalogue metadata extraction | extract | data-set documentation | data stewards | -
    AI literacy course assistant | knowledge | responsible AI and the AI policy | employees
    Shared ML pipeline templates | code | shared ML pipelines | ML engineers
    """,
    "demo-retail": """
    Customer FAQ chatbot in the mobile app | assistant | everyday banking | branch staff
    Current-account churn prediction | propensity | current-account switching | branch teams
    ID document verification at onboarding | vision | identity documents | onboarding staff
    Personal loan decisioning | scoring | personal loan applications | credit underwriters
    Branch staffing optimisation | optimise | branch staff rosters | branch managers
    Cash demand forecasting for ATMs | forecast | cash withdrawals at ATMs | cash planners
    Customer letter drafting assistant | draft | customer letters | back-office staff
    Vulnerability signals in customer calls | speech | everyday banking | customer-care teams
    Account opening process mining | insight | account openings | process owners
    Overdraft limit review | scoring | overdraft limit requests | lending officers
    Bereavement case handling agent | agent | bereavement notifications | bereavement teams
    Branch complaint triage | triage | branch complaints | complaint handlers
    Missed-payment early warning | propensity | missed loan payments | collections advisers
    Branch procedures assistant | knowledge | branch procedures | branch staff
    """,
    "demo-cards": """
    Card fraud anomaly detection | anomaly | card transactions | fraud analysts
    Chargeback dispute triage | triage | chargeback disputes | disputes analysts
    Card services virtual assistant | assistant | cards and payments | card-services agents
    Merchant onboarding document extraction | extract | merchant documents | merchant staff
    Credit card limit increase decisioning | scoring | credit limit requests | underwriters
    Failed payment root-cause analysis | insight | failed payments | payment analysts
    Dispute evidence letter drafting | draft | dispute evidence letters | disputes analysts
    Real-time money mule detection | anomaly | instant payments | financial-crime teams
    Contactless limit rules engine | rules | contactless payment limits | payment risk managers | -
    Card reissue volume forecasting | forecast | card reissue volumes | card production planners
    Payment exceptions agent | agent | payment exceptions | payment operations staff
    Card cancellation prediction | propensity | card cancellations | card retention agents
    Receipt image matching for expenses | vision | receipt images | card administrators
    """,
    "demo-mortgages": """
    Mortgage FAQ chatbot | assistant | mortgages and remortgaging | mortgage advisers
    Payslip and bank-statement extraction | extract | payslips and bank statements | underwriters
    Automated property valuation | scoring | property valuations | valuation surveyors
    Mortgage affordability decisioning | scoring | affordability assessments | underwriters
    Remortgage retention prediction | propensity | remortgaging elsewhere | retention specialists
    Mortgage offer letter drafting | draft | mortgage offer letters | case administrators
    Arrears early warning | propensity | mortgage arrears | financial-support specialists
    Property photo condition check | vision | property photos from valuers | underwriters
    Broker e-mail triage | triage | broker e-mails | broker support staff
    Mortgage application process mining | insight | mortgage applications | process owners
    Lending criteria assistant | knowledge | lending policy and criteria | mortgage underwriters
    Title deed review | extract | title deeds and legal reports | conveyancing specialists
    Mortgage completion agent | agent | mortgage completions | completion officers
    """,
    "demo-commercial": """
    KYC document extraction for business clients | extract | KYC documents | onboarding analysts
    Relationship-manager meeting summaries | summarise | client meetings | relationship managers
    SME credit decisioning | scoring | small-business loan applications | credit analysts
    Client cash-flow forecasting | forecast | business clients' cash flows | treasury advisers
    Covenant monitoring extraction | extract | client financial statements | credit analysts
    Trade finance document checking | rules | letters of credit | trade-finance specialists
    SME attrition early warning | propensity | business clients leaving | relationship managers
    Credit memo drafting assistant | draft | credit memos | credit analysts
    Sanctions screening alert triage | triage | sanctions screening alerts | financial-crime staff
    Trade-based money laundering detection | anomaly | trade finance transactions | investigators
    Loan and deposit pricing optimisation | optimise | price changes | pricing managers
    Annual credit review agent | agent | annual credit reviews | relationship managers
    Sector research assistant | knowledge | industry sectors and peers | relationship managers
    Invoice finance fraud detection | anomaly | invoices submitted for finance | finance analysts
    """,
    "demo-wealth": """
    Advisor call-notes summariser | summarise | client calls | financial advisers
    Client attrition early warning | propensity | client asset withdrawals | client advisers
    Personalised investment newsletters | draft | investment newsletters | investment writers
    Suitability report drafting | draft | suitability reports | financial advisers
    Portfolio rebalancing optimisation | optimise | portfolio rebalancing trades | fund managers
    Source-of-wealth evidence extraction | extract | source-of-wealth documents | onboarding teams
    Investment research assistant | knowledge | funds and investment research | advisers
    Market-abuse surveillance | anomaly | client orders and trades | surveillance analysts
    Client risk-profile scoring | scoring | client risk profiles | financial advisers
    Adviser diary optimisation | optimise | adviser diaries | adviser assistants
    Recorded advice call review | speech | investment advice | compliance monitors
    Pension transfer agent | agent | pension transfers | pension administrators
    Client portal assistant | assistant | portfolios and statements | client service staff
    """,
    "demo-insurance": """
    Underwriting submission extraction | extract | broker submissions | commercial underwriters
    Home insurance pricing model | scoring | home insurance quotes | pricing actuaries
    Policy wording Q&A assistant | knowledge | policy wordings | underwriters
    Renewal retention prediction | propensity | policy lapses at renewal | retention agents
    Weather claims surge forecasting | forecast | weather-related claims | catastrophe modellers
    Renewal letter drafting | draft | renewal letters | policy administrators
    Broker e-mail classification | triage | broker e-mails | underwriting assistants
    Satellite imagery for property risk | vision | satellite images of insured sites | surveyors | -
    Reinsurance treaty rules checking | rules | reinsurance treaty terms | reinsurance analysts | -
    Medical evidence summaries for life cover | summarise | medical evidence | life underwriters
    Mid-term policy change agent | agent | mid-term policy changes | policy administrators
    Sales call compliance monitoring | speech | insurance sales | sales quality reviewers
    Property risk survey extraction | extract | risk survey reports | property underwriters
    Quote journey analytics | insight | online quote journeys | digital product owners
    """,
    "demo-claims": """
    Motor claims photo damage assessment | vision | photos of damaged vehicles | claims handlers
    Claims fraud detection | anomaly | insurance claims | claims-fraud investigators
    First notification of loss triage | triage | first notifications of loss | claims handlers
    Low-value claims settlement decisioning | scoring | low-value claims | claims handlers
    Claims correspondence drafting | draft | claims letters | claims handlers
    Medical report extraction for injury claims | extract | medical reports | injury specialists
    Claims status assistant | assistant | claim status and next steps | claims agents
    Loss adjuster visit scheduling | optimise | loss adjuster visits | claims schedulers
    Claims call summarisation | summarise | claims calls | claims handlers
    Claims reserve forecasting | forecast | claims reserves | claims actuaries
    Subrogation opportunity rules | rules | settled claims | recovery specialists
    Claims journey process mining | insight | claims | claims managers
    Claims handler guidance assistant | knowledge | claims procedures | claims handlers
    """,
    "demo-operations": """
    Back-office workload forecasting | forecast | back-office workload | workforce planners
    Payment investigations agent | agent | payment investigations | operations analysts
    Mail room document classification | triage | scanned letters and forms | mail room staff
    Reconciliation break detection | anomaly | reconciliation breaks | reconciliation analysts
    Operations procedures assistant | knowledge | operating procedures | operations staff
    Service request process mining | insight | customer service requests | operations managers
    Signature verification on paper instructions | vision | signed instructions | operations clerks
    Standing-order amendment agent | agent | standing-order amendments | operations clerks
    Dormant account rules review | rules | dormant accounts | operations controllers
    Operational loss report extraction | extract | operational loss reports | risk coordinators
    Settlement failure prediction | propensity | settlement failures | settlement officers
    Cheque image checking | vision | cheque images | clearing clerks
    Address change agent | agent | address changes | operations clerks
    """,
    "demo-contact-centre": """
    Contact-centre call summarisation | summarise | customer calls | contact-centre agents
    Complaint classification and routing | triage | customer complaints | complaint handlers
    Real-time agent assist | knowledge | products and procedures | contact-centre agents
    Call volume forecasting | forecast | inbound call volumes | workforce planners
    Agent shift scheduling optimisation | optimise | agent shift patterns | workforce planners
    Speech analytics for call quality | speech | customer service | quality coaches
    Customer e-mail reply drafting | draft | replies to customer e-mails | contact-centre agents
    Voice bot for balance and payment queries | assistant | balances and payments | agents
    Callback handling agent | agent | callback requests | contact-centre agents
    Repeat-caller prediction | propensity | repeat calls about one issue | team leaders
    Web chat intent detection | triage | web chat messages | chat agents
    Contact reason analytics | insight | customer contacts | contact-centre managers
    Vulnerability detection in chats | triage | chat transcripts | vulnerability champions
    """,
    "demo-procurement": """
    Invoice capture and three-way matching | extract | supplier invoices | accounts-payable clerks
    Supplier contract clause review | extract | supplier contracts | procurement lawyers | -
    Supplier risk monitoring | anomaly | supplier news and financial signals | risk managers | -
    Spend classification | triage | purchase requests | category managers | -
    Tender response drafting | draft | tender documents and RFPs | category managers | -
    Procurement policy assistant | knowledge | purchasing policy | budget holders
    Supplier onboarding agent | agent | supplier onboarding cases | procurement officers
    IT hardware demand forecasting | forecast | IT hardware demand | category managers
    Contract renewal optimisation | optimise | contract renewals | category managers
    Duplicate supplier payment detection | anomaly | supplier payments | payables clerks
    Supplier ESG questionnaire review | extract | ESG questionnaires | ESG analysts | -
    Purchase order approval rules | rules | purchase orders | procurement controllers | -
    """,
    "demo-technology": """
    Developer coding assistant | code | application code | software engineers
    IT service desk knowledge bot | knowledge | IT issues and how-tos | service-desk analysts
    Incident ticket triage | triage | IT incident tickets | service-desk analysts
    Infrastructure capacity forecasting | forecast | compute and storage capacity | engineers
    Log anomaly detection | anomaly | application logs | site-reliability engineers | -
    Legacy mainframe code documentation | code | legacy mainframe code | mainframe engineers
    Test case generation | code | regression test suites | test engineers
    Change approval rules automation | rules | IT change requests | change managers | -
    Cloud cost optimisation | optimise | cloud resources | platform engineers
    Access request agent | agent | access requests | identity administrators
    Phishing e-mail detection | anomaly | inbound e-mails | security analysts
    Architecture knowledge assistant | knowledge | architecture standards | solution architects
    Security patch prioritisation | optimise | security patch schedules | security engineers
    Release notes drafting | draft | release notes | product owners | -
    """,
    "demo-risk": """
    Payment anomaly monitoring | anomaly | payments across all channels | monitoring analysts
    Complaint root-cause tagging | triage | customer complaints | conduct-risk analysts
    Compliance policy Q&A assistant | knowledge | compliance policies | employees
    Contract obligation extraction | extract | contracts with third parties | legal counsel | -
    AML alert triage | triage | anti-money-laundering alerts | AML investigators
    Suspicious activity report drafting | draft | suspicious activity reports | investigators
    Regulatory change summaries | summarise | new regulations | compliance officers | -
    Credit risk early warning | propensity | loan defaults | credit-risk officers
    Model validation report drafting | draft | model validation reports | model validators | -
    Conduct risk call monitoring | speech | product sales | conduct-risk analysts
    Credit loss forecasting | forecast | expected credit losses | risk modellers
    Sanctions list matching rules | rules | sanctions list matches | sanctions officers
    Risk event network analysis | insight | operational risk incidents | risk managers
    Third-party risk questionnaire review | extract | supplier questionnaires | risk analysts | -
    """,
    "demo-finance": """
    Supplier invoice data extraction | extract | supplier invoices | accounts-payable clerks
    Month-end journal anomaly checks | anomaly | general-ledger journals | financial controllers
    Revenue and cost forecasting | forecast | revenue and costs | planning analysts
    Management commentary drafting | draft | management commentaries | finance partners | -
    Expense claim checking | rules | employee expense claims | expense auditors
    Intercompany reconciliation agent | agent | intercompany reconciliations | group accountants
    Tax query assistant | knowledge | tax rules and rulings | tax specialists
    Liquidity forecasting | forecast | daily liquidity positions | treasury analysts
    Duplicate invoice payment detection | anomaly | invoice payments | accounts-payable clerks
    Cost allocation optimisation | optimise | cost allocations | management accountants
    Purchase-to-pay process mining | insight | purchase-to-pay transactions | process owners
    Regulatory return commentary | draft | regulatory return commentaries | reporting teams | -
    Fixed-asset register checks | rules | fixed-asset additions | asset accountants | -
    """,
    "demo-hr": """
    HR policy assistant | knowledge | HR policies and benefits | HR advisers
    CV screening | scoring | job applications | recruiters
    Employee attrition risk | propensity | employee resignations | HR business partners
    Job advert drafting | draft | job descriptions and adverts | recruiters
    Interview scheduling optimisation | optimise | interview schedules | recruitment coordinators
    Employee survey comment analysis | triage | employee survey comments | HR analysts
    Payroll anomaly detection | anomaly | payroll runs | payroll specialists
    New-joiner onboarding agent | agent | new-joiner onboarding tasks | HR administrators
    Workforce demand forecasting | forecast | headcount demand | workforce planners
    Employee relations case summaries | summarise | employee relations cases | case managers
    Fit-note extraction | extract | fit notes and medical certificates | HR administrators
    Learning catalogue assistant | knowledge | the learning catalogue | employees
    Exit interview summaries | summarise | exit interviews | HR business partners
    """,
    "demo-marketing": """
    Campaign copy generator | draft | campaign copy and subject lines | marketing managers | -
    Marketing mix optimisation | optimise | marketing budget allocation | marketing analysts
    Price-change churn prediction | propensity | churn after price changes | pricing analysts
    Social media mention triage | triage | social media mentions | social media managers
    Product page copy drafting | draft | product page copy | content editors | -
    Brand compliance checker | rules | marketing materials | brand reviewers | -
    Website search assistant | assistant | products and rates | digital marketing staff
    Customer lifetime value forecasting | forecast | customer lifetime value | analysts
    Competitor rate change alerts | anomaly | competitor rates and offers | pricing analysts | -
    Digital journey analytics | insight | customer journeys on web and app | digital analysts
    Marketing consent rules checking | rules | marketing consents | campaign managers
    Customer review analysis | triage | app-store and online reviews | product managers
    E-mail send-time optimisation | optimise | e-mail send times | CRM managers
    """,
}

# Similar ideas in different org units, on purpose: the material for silo detection.
NEAR_DUPLICATES: tuple[tuple[str, ...], ...] = (
    (
        "Contact-centre call summarisation",
        "Advisor call-notes summariser",
        "Relationship-manager meeting summaries",
        "Claims call summarisation",
    ),
    (
        "Customer FAQ chatbot in the mobile app",
        "Mortgage FAQ chatbot",
        "Card services virtual assistant",
    ),
    ("Supplier invoice data extraction", "Invoice capture and three-way matching"),
    (
        "Complaint classification and routing",
        "Complaint root-cause tagging",
        "Branch complaint triage",
    ),
    ("Card fraud anomaly detection", "Payment anomaly monitoring", "Claims fraud detection"),
    ("HR policy assistant", "Compliance policy Q&A assistant", "Procurement policy assistant"),
    (
        "Current-account churn prediction",
        "Client attrition early warning",
        "SME attrition early warning",
    ),
    ("Campaign copy generator", "Personalised investment newsletters"),
    ("Supplier contract clause review", "Contract obligation extraction"),
    ("Duplicate supplier payment detection", "Duplicate invoice payment detection"),
    ("KYC document extraction for business clients", "Source-of-wealth evidence extraction"),
    ("Broker e-mail triage", "Broker e-mail classification"),
)


def _ideas() -> list[Idea]:
    ideas: list[Idea] = []
    for unit, block in _IDEAS.items():
        for line in block.strip().splitlines():
            title, capability, thing, who, *facts = (part.strip() for part in line.split("|"))
            own = facts[0].strip("-") if facts else None
            ideas.append(Idea(unit, title, capability, thing, who, own))
    return ideas


IDEAS: tuple[Idea, ...] = tuple(_ideas())
