"""The ruleset's version: stored with every assessment; a new one for every clinical change (docs/ruleset.md)."""

from __future__ import annotations

RULESET_VERSION = "2026.12.1"
"""Version of the clinical ruleset (criteria, decisions, mimics, course, care); stored with every assessment."""
