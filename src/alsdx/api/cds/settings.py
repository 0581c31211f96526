"""Configuration of the CDS Hooks service, from ``ALSDX_CDS_*`` environment variables (docs/fhir.md).

Secure by default: JWT authentication is on, no issuer is trusted until configured, only asymmetric
algorithms are accepted, the public base URL (the JWT ``aud``) must be configured unless the documented development
mode is on, and a FHIR server is only called when it is on the allow-list (https unless http is explicitly allowed).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from alsdx.errors import AlsdxError

ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "ES256", "ES384", "PS256", "PS384")


class CdsConfigError(AlsdxError, ValueError):
    """An ``ALSDX_CDS_*`` variable has a value the service cannot use."""


class TrustedIssuer(BaseModel):
    """Where the public keys of one EHR (JWT ``iss``) come from: inline JWKS, a JWKS file or a JWKS URL."""

    model_config = ConfigDict(extra="forbid")
    jwks: dict[str, Any] | None = None
    jwks_file: Path | None = None
    jwks_url: str | None = None

    @field_validator("jwks_url")
    @classmethod
    def _https(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith("https://") and not _loopback(url):
            raise ValueError("jwks_url must be https (or a loopback http URL for testing)")
        return url


class CdsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auth_required: bool = True
    issuers: dict[str, TrustedIssuer] = Field(default_factory=dict)
    algorithms: tuple[str, ...] = ASYMMETRIC_ALGORITHMS
    base_url: str | None = None
    """Public base URL of the service (``aud`` = base_url + path). Required with authentication on, except in
    development mode (then taken from the request URL, which a proxy's Host header controls)."""
    dev_mode: bool = False
    """``ALSDX_CDS_DEV=1``: local development only; allows serving without ``base_url``."""
    fhir_servers: tuple[str, ...] = ()
    """Allow-list of FHIR base URLs alsdx may read from (and send the EHR's access token to)."""
    jwks_timeout_seconds: float = 2.0
    jwks_refetch_seconds: float = 60.0
    """An unknown ``kid`` refetches an issuer's JWKS at most once per this interval (and unknown kids are
    remembered for it): forged tokens cannot make alsdx hammer the EHR's key endpoint."""
    leeway_seconds: int = 30
    max_token_lifetime_seconds: int = 600
    jwks_cache_seconds: int = 3600
    cors_origins: tuple[str, ...] = ()
    fhir_timeout_seconds: float = 5.0
    allow_http_fhir: bool = False
    """Allow a non-loopback ``http://`` fhirServer (the spec requires https for production data)."""
    patient_page_url: str | None = None
    """Template for the card link, e.g. ``https://alsdx.example.org/patients/{patient_id}``."""
    smart_launch_url: str | None = None
    """SMART launch URL; when set the card link is ``type: smart`` instead of ``absolute``."""

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, algs: tuple[str, ...]) -> tuple[str, ...]:
        bad = [a for a in algs if a not in ASYMMETRIC_ALGORITHMS]
        if bad:
            raise ValueError(f"{bad} not allowed; choose among {list(ASYMMETRIC_ALGORITHMS)}")
        return algs

    @field_validator("fhir_servers")
    @classmethod
    def _servers(cls, servers: tuple[str, ...]) -> tuple[str, ...]:
        for url in servers:
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"fhir_servers: {url!r} is not an http(s) base URL")
        return tuple(u.rstrip("/") for u in servers)

    def check_serving(self) -> None:
        """Refuse configurations that cannot be served safely (called when the service starts)."""
        if self.auth_required and self.issuers and not self.base_url and not self.dev_mode:
            raise CdsConfigError(
                "ALSDX_CDS_BASE_URL is required: the public https URL EHRs call (it is the JWT audience); "
                "set ALSDX_CDS_DEV=1 only for local development"
            )
        plain = [u for u in self.fhir_servers if u.startswith("http://")]
        if plain and not self.allow_http_fhir:
            raise CdsConfigError(
                f"ALSDX_CDS_FHIR_SERVERS: {plain} use http; set ALSDX_CDS_ALLOW_HTTP_FHIR=1 to allow it explicitly"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CdsSettings:
        env = os.environ if env is None else env
        raw: dict[str, Any] = {}
        if "ALSDX_CDS_AUTH" in env:
            value = env["ALSDX_CDS_AUTH"].strip().lower()
            if value not in {"required", "off"}:
                raise CdsConfigError(f"ALSDX_CDS_AUTH: {value!r}; allowed: required, off")
            raw["auth_required"] = value == "required"
        if "ALSDX_CDS_ISSUERS" in env:
            try:
                raw["issuers"] = json.loads(env["ALSDX_CDS_ISSUERS"])
            except ValueError as exc:
                raise CdsConfigError(f"ALSDX_CDS_ISSUERS: not JSON ({exc})") from None
        lists = {
            "ALSDX_CDS_ALGORITHMS": "algorithms",
            "ALSDX_CDS_CORS_ORIGINS": "cors_origins",
            "ALSDX_CDS_FHIR_SERVERS": "fhir_servers",
        }
        for var, key in lists.items():
            if var in env:
                raw[key] = tuple(x.strip() for x in env[var].split(",") if x.strip())
        scalars = {
            "ALSDX_CDS_BASE_URL": "base_url",
            "ALSDX_CDS_LEEWAY_SECONDS": "leeway_seconds",
            "ALSDX_CDS_MAX_TOKEN_LIFETIME_SECONDS": "max_token_lifetime_seconds",
            "ALSDX_CDS_JWKS_CACHE_SECONDS": "jwks_cache_seconds",
            "ALSDX_CDS_FHIR_TIMEOUT_SECONDS": "fhir_timeout_seconds",
            "ALSDX_CDS_PATIENT_PAGE_URL": "patient_page_url",
            "ALSDX_CDS_SMART_LAUNCH_URL": "smart_launch_url",
            "ALSDX_CDS_JWKS_TIMEOUT_SECONDS": "jwks_timeout_seconds",
            "ALSDX_CDS_JWKS_REFETCH_SECONDS": "jwks_refetch_seconds",
        }
        for var, key in scalars.items():
            if var in env:
                raw[key] = env[var]
        if "ALSDX_CDS_ALLOW_HTTP_FHIR" in env:
            raw["allow_http_fhir"] = env["ALSDX_CDS_ALLOW_HTTP_FHIR"].strip().lower() in {"1", "true", "yes"}
        if "ALSDX_CDS_DEV" in env:
            raw["dev_mode"] = env["ALSDX_CDS_DEV"].strip().lower() in {"1", "true", "yes"}
        try:
            return cls.model_validate(raw)
        except ValueError as exc:
            raise CdsConfigError(f"ALSDX_CDS_* configuration: {exc}") from None


def _loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return urlsplit(url).scheme == "http" and host in {"127.0.0.1", "localhost", "::1"}


def fhir_server_allowed(url: str, settings: CdsSettings) -> bool:
    """A fhirServer is used only when it is on the allow-list (exact base URL), and over https unless http is
    explicitly allowed."""
    base = url.rstrip("/")
    if base not in settings.fhir_servers:
        return False
    return base.startswith("https://") or (settings.allow_http_fhir and base.startswith("http://"))
