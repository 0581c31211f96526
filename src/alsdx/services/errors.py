"""The one failure the services report to both doors."""

from __future__ import annotations


class NotFound(Exception):
    """No such patient, visit or version for the caller; the message is safe to show (the REST API answers 404 with
    it, the web pages their "not found" page)."""
