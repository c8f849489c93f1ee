"""Questionnaire answers for the default policy that tests share.

LOW is an internal helper with every mitigation in place (low tier); the others change
only what makes the difference, so a test reads as "LOW, but customer-facing".
"""

from typing import Any

LOW: dict[str, Any] = {
    "prohibited_practices": ["none"],
    "domain": "internal_operations",
    "affected": "staff",
    "scale": "under_100",
    "reversibility": "easy",
    "duration": "brief",
    "automation": "assists",
    "personal_data": ["none"],
    "interaction": ["internal"],
    "explainability": "explained",
    "provenance": "in_house",
    "testing": "yes",
    "monitoring": "yes",
    "human_review": "all",
    "appeal": "yes",
    "documentation": "yes",
    "bias_checks": "not_applicable",
}
NO_MITIGATION: dict[str, Any] = LOW | {
    "testing": "no",
    "monitoring": "no",
    "human_review": "no",
    "appeal": "no",
    "documentation": "no",
    "bias_checks": "no",
}
MEDIUM: dict[str, Any] = LOW | {
    "domain": "customer_service",
    "affected": "consumers",
    "scale": "under_1m",
    "reversibility": "effort",
    "automation": "recommends",
    "personal_data": ["personal"],
    "interaction": ["chatbot"],
    "explainability": "partly",
    "provenance": "vendor_documented",
    "human_review": "sample",
}
HIGH: dict[str, Any] = MEDIUM | {"domain": "credit_insurance"}
