"""CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): ``patient-view`` and ``order-select`` services for an EHR.

Layers, each in its own module: ``router`` (HTTP: discovery, calls, feedback, CORS, the stand-alone app),
``auth`` (the EHR's JWT, JWKS and replay cache: ``replay``), ``settings`` (``ALSDX_CDS_*``), ``messages`` (request
bodies), ``prefetch`` (the FHIR searches asked for), ``fhir_client`` (prefetch completed from ``fhirServer``,
paging, allow-list), ``hooks`` (what each hook answers) and ``cards`` (the cards, rendered from the assessment).
"""

from alsdx.api.cds.hooks import ORDER_SELECT_ID, PATIENT_VIEW_ID
from alsdx.api.cds.router import CdsService, add_cds_cors, create_cds_app
from alsdx.api.cds.settings import CdsConfigError, CdsSettings

__all__ = [
    "ORDER_SELECT_ID",
    "PATIENT_VIEW_ID",
    "CdsConfigError",
    "CdsService",
    "CdsSettings",
    "add_cds_cors",
    "create_cds_app",
]
