"""The maturity model: self-assessments side by side with the evidence from analytics."""
