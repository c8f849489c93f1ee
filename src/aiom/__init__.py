"""aiom: the AI operating-model platform."""

__version__ = "0.1.0"
