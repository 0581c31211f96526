"""Errors of the FHIR adapters."""

from __future__ import annotations

from alsdx.errors import AlsdxError


class FhirInputError(AlsdxError, ValueError):
    """A FHIR document cannot become a case (not a Bundle, or a field the case needs is missing).
    The message starts with the case field or FHIR path at fault."""


class NoMndCondition(FhirInputError):
    """The data hold no ALS/MND condition with an onset date: alsdx has nothing to assess."""


class NoOnsetDate(FhirInputError):
    """An ALS/MND condition is on record but no onset date can be read (none, free text, an age without a birth
    date): the criteria cannot be assessed, and the caller should say so rather than stay silent."""
