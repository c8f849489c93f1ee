"""The read side: figures computed from the portfolio, never a write of its own facts.

analytics/ (one module per figure, the facts read model, the diagnostics page, API and
CSV), dashboard/ (the dashboard home and the board report) and maturity/ (the maturity
model scored from those figures and from self-assessments). The tables stay with the apps
that own the rows: value.UseCaseFacts and value.StaleFacts, maturity.SelfAssessment.
"""
