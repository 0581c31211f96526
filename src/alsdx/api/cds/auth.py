"""Authentication of the calling EHR (CDS Hooks 2.0, "Trusting CDS Clients").

Every request carries ``Authorization: Bearer <JWT>`` signed with the client's private key. We accept a
token only if: its ``alg`` is an asymmetric algorithm we allow (never ``none``, never HMAC); ``typ`` is
JWT and ``kid`` names a key of the issuer's JWK Set; ``iss`` is on the allowlist (with its keys from
configuration, a JWKS file or a JWKS URL; a ``jku`` header must equal that configured URL, we never
fetch a URL a token names); ``aud`` is the URL of the endpoint being called; ``exp``, ``iat`` and ``jti``
are present, the token is current and not longer-lived than configured; and its ``jti`` was not seen
before (replay protection, remembered until the token expires).
"""

from __future__ import annotations

import heapq
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import anyio
import httpx
import jwt
from starlette.requests import Request

from alsdx.api.cds.settings import CdsSettings, TrustedIssuer


class AuthError(Exception):
    """The request is not authenticated; the message says why (safe to return to the client)."""


@dataclass
class _KeySet:
    keys: dict[str, Any]
    fetched_at: float
    unknown: dict[str, float] = field(default_factory=dict)
    """kids not in the set, with when they were last looked for (the negative cache)."""


class ReplayStore(Protocol):
    """Where used token ids are remembered (the database, so several workers and restarts share it)."""

    def remember(self, iss: str, jti: str, exp: float, now: float) -> bool:
        """True when (iss, jti) was new and is now remembered; False for a replay."""
        ...


@dataclass
class JwtVerifier:
    settings: CdsSettings
    replay: ReplayStore | None = None
    """The shared replay cache; None keeps it in this process only (one worker, lost on restart)."""
    _seen: dict[tuple[str, str], float] = field(default_factory=dict)
    _expiry: list[tuple[float, tuple[str, str]]] = field(default_factory=list)
    """Min-heap of (exp, key) beside ``_seen``, so forgetting expired jtis costs O(log n) per request
    (a scan of ``_seen`` on every request cost 4.7 ms at 40,000 remembered tokens: benchmarks/bench_replay_cache.py)."""
    _keys: dict[str, _KeySet] = field(default_factory=dict)

    async def verify(self, authorization: str | None, audience: str) -> dict[str, Any]:
        """Claims of a valid token for ``audience``; raises :class:`AuthError` otherwise."""
        if not authorization or not authorization.startswith("Bearer "):
            raise AuthError("missing 'Authorization: Bearer <JWT>' header")
        token = authorization.removeprefix("Bearer ").strip()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise AuthError(f"malformed JWT: {exc}") from None
        alg = header.get("alg")
        if alg not in self.settings.algorithms:
            raise AuthError(f"alg {alg!r} not accepted; allowed: {', '.join(self.settings.algorithms)}")
        if header.get("typ") not in (None, "JWT"):
            raise AuthError("typ must be 'JWT'")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError("kid header is required")
        iss = unverified.get("iss")
        issuer = self.settings.issuers.get(iss) if isinstance(iss, str) else None
        if issuer is None or not isinstance(iss, str):
            raise AuthError(f"issuer {iss!r} is not trusted")
        if "jku" in header and header["jku"] != issuer.jwks_url:
            raise AuthError("jku does not match the JWKS URL configured for this issuer")
        key = await self._key(iss, issuer, kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=audience,
                issuer=iss,
                leeway=self.settings.leeway_seconds,
                options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            )
        except jwt.PyJWTError as exc:
            raise AuthError(f"invalid JWT: {exc}") from None
        except (TypeError, ValueError, AttributeError):
            # e.g. alg RS256 with the kid of an EC key: the key cannot verify this algorithm (was an HTTP 500)
            raise AuthError(f"invalid JWT: key {kid!r} cannot verify alg {alg}") from None
        if not all(
            isinstance(claims.get(k), int | float) and not isinstance(claims.get(k), bool) for k in ("exp", "iat")
        ):
            raise AuthError("invalid JWT: exp and iat must be numbers")
        now = time.time()
        if claims["iat"] > now + self.settings.leeway_seconds:
            raise AuthError("iat is in the future")
        if claims["exp"] - claims["iat"] > self.settings.max_token_lifetime_seconds:
            raise AuthError(f"token lifetime exceeds {self.settings.max_token_lifetime_seconds} s")
        jti, exp = str(claims["jti"])[:255], float(claims["exp"])
        if self.replay is not None:
            fresh = await anyio.to_thread.run_sync(self.replay.remember, iss, jti, exp, now)
            if not fresh:
                raise AuthError("jti already used (replayed token)")
        else:
            self._remember(iss, jti, exp, now)
        return claims

    def _remember(self, iss: str, jti: str, exp: float, now: float) -> None:
        while self._expiry and self._expiry[0][0] + self.settings.leeway_seconds < now:
            _, old = heapq.heappop(self._expiry)
            self._seen.pop(old, None)
        if (iss, jti) in self._seen:
            raise AuthError("jti already used (replayed token)")
        self._seen[(iss, jti)] = exp
        heapq.heappush(self._expiry, (exp, (iss, jti)))

    async def _key(self, iss: str, issuer: TrustedIssuer, kid: str) -> Any:
        """The issuer's key ``kid``. The JWK Set is cached per issuer; an unknown kid (key rotation) refetches a
        URL-configured set at most once per ``jwks_refetch_seconds`` per issuer, and is remembered as unknown
        meanwhile, so unauthenticated tokens with invented kids cannot make alsdx refetch."""
        now = time.monotonic()
        cached = self._keys.get(iss)
        fresh = cached is not None and now - cached.fetched_at < self.settings.jwks_cache_seconds
        if cached is not None and fresh and kid not in cached.keys and issuer.jwks_url:
            if now - cached.fetched_at >= self.settings.jwks_refetch_seconds:
                fresh = False  # rotation: refetch once, rate-limited
            else:
                cached.unknown[kid] = now
        if not fresh:
            cached = _KeySet(await _load_keys(issuer, self.settings.jwks_timeout_seconds), now)
            self._keys[iss] = cached
        assert cached is not None
        if kid not in cached.keys:
            if len(cached.unknown) < 1000:
                cached.unknown[kid] = now
            raise AuthError(f"kid {kid!r} not in the JWK Set of issuer {iss!r}")
        return cached.keys[kid]


async def _load_keys(issuer: TrustedIssuer, timeout: float = 2.0) -> dict[str, Any]:
    if issuer.jwks is not None:
        jwks = issuer.jwks
    elif issuer.jwks_file is not None:
        try:
            jwks = json.loads(issuer.jwks_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AuthError(f"JWKS file of the issuer cannot be read: {exc}") from None
    elif issuer.jwks_url is not None:
        try:
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
                response = await client.get(issuer.jwks_url)
                response.raise_for_status()
                jwks = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise AuthError(f"JWKS of the issuer cannot be fetched ({type(exc).__name__})") from None
    else:
        raise AuthError("no keys configured for this issuer")
    keys = {}
    for jwk in jwks.get("keys", []) if isinstance(jwks, dict) else []:
        if not isinstance(jwk, dict) or "kid" not in jwk or jwk.get("kty") == "oct":
            continue  # symmetric keys are never accepted
        try:
            keys[jwk["kid"]] = jwt.PyJWK(jwk).key
        except jwt.PyJWTError:
            continue
    return keys


def audience(settings: CdsSettings, request: Request) -> str:
    """The ``aud`` a token must name: the configured public base URL plus the path called. Only in the documented
    development mode (no base URL) is it the URL the request arrived at (``Host`` can be forged behind a proxy)."""
    if settings.base_url:
        return settings.base_url.rstrip("/") + request.url.path
    return str(request.url.replace(query=None, fragment=None))


async def authenticate(verifier: JwtVerifier, request: Request) -> None:
    """Raises :class:`AuthError` unless the call carries a valid token of a trusted EHR (nothing is checked when
    the settings turn authentication off)."""
    if verifier.settings.auth_required:
        await verifier.verify(request.headers.get("authorization"), audience(verifier.settings, request))
