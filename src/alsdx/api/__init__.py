"""The REST API and clinician web page (FastAPI). ``create_app(settings)`` builds the application."""

from alsdx.api.app import create_app
from alsdx.api.settings import Settings

__all__ = ["Settings", "create_app"]
