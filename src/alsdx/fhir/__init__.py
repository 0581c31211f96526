"""FHIR R4 in and out (parsed with fhir.resources' R4B models; see docs/fhir.md), and Phenopackets v2."""
