"""Silo detection: similar use cases across org units, at intake and portfolio-wide."""
