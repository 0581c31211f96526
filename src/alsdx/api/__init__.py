"""HTTP doors of alsdx (FastAPI): the REST API and clinician web page (``create_app(settings)``) and
CDS Hooks (``alsdx.api.cds``)."""

from alsdx.api.app import create_app
from alsdx.api.settings import Settings

__all__ = ["Settings", "create_app"]
