"""Who may do what, written out per persona: the expectations of the authorization matrix.

These tables are deliberately explicit rather than computed with the app's own permission
functions, so that a bug in `visible_to` / `can_edit` cannot hide itself. Read with
`src/aiom/portfolio/permissions.py`: Alice owns `alice_uc` and `alice_secret` (Retail
Banking), Charlie owns `wealth_secret` (Wealth Management), Vic (not a persona) sponsors all
three; Bob is in Retail Banking; Pat is a partner granted Retail Banking; Ada administers;
Rita is a global risk reviewer.
"""

from collections.abc import Mapping

type Who = frozenset[str] | Mapping[str, frozenset[str]]

PERSONAS = ("alice", "bob", "charlie", "pat", "ada", "rita", "anonymous")
INTERNAL = frozenset({"alice", "bob", "charlie", "ada", "rita"})
PARTNERS = frozenset({"pat"})  # external: read what they are granted, never write
SIGNED_IN = INTERNAL | PARTNERS
ADMIN = frozenset({"ada"})

# Who sees each use case (404 for everyone else).
SEE: Mapping[str, frozenset[str]] = {
    "alice_uc": SIGNED_IN,  # ordinary: everyone inside, and Pat (granted Retail Banking)
    "alice_secret": frozenset({"alice", "bob", "ada", "rita"}),  # Bob shares the unit
    "wealth_secret": frozenset({"charlie", "ada", "rita"}),
}

# Owner, sponsor, unit lead (none here), global AI expert (none), administrator.
EDIT: Mapping[str, frozenset[str]] = {
    "alice_uc": frozenset({"alice", "ada"}),
    "alice_secret": frozenset({"alice", "ada"}),
    "wealth_secret": frozenset({"charlie", "ada"}),
}

# Risk assessment: who may edit, reviewers covering the unit (Rita), administrators.
ASSESS: Mapping[str, frozenset[str]] = {k: v | {"rita"} for k, v in EDIT.items()}

# Overriding a tier: override roles (risk/compliance reviewers) and admins, never the owner.
OVERRIDE = frozenset({"ada", "rita"})

# Deciding a review of the medium tier: a risk reviewer not owning or sponsoring it.
DECIDE = frozenset({"rita"})

# Confirming or rejecting a lowered tier: a risk or compliance reviewer over the unit (not
# administrators as such), never who proposed it, assessed it, owns or sponsors it.
LOWERING = frozenset({"rita"})

# Priority scores: administrators, AI experts, unit leads.
SCORE = ADMIN

# Linking a use case to the public filler Alice owns: see both, edit one of them.
LINK: Mapping[str, frozenset[str]] = {
    "alice_uc": frozenset({"alice", "ada"}),
    "alice_secret": frozenset({"alice", "ada"}),
    "wealth_secret": frozenset({"charlie", "ada"}),
}

# Confirming an incident's severity: the use case's owner and reviewers covering its unit.
CONFIRM: Mapping[str, frozenset[str]] = {
    "alice_uc": frozenset({"alice", "rita"}),
    "alice_secret": frozenset({"alice", "rita"}),
    "wealth_secret": frozenset({"charlie", "rita"}),
}

# Feedback: any internal person who can see the use case (partners read, never write).
FEEDBACK: Mapping[str, frozenset[str]] = {k: v & INTERNAL for k, v in SEE.items()}
