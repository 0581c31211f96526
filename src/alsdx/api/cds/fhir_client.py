"""The data a hook needs: the request's ``prefetch``, completed from ``fhirServer`` when allowed.

A prefetch value that is an OperationOutcome is the client saying it could not fetch; a searchset with a ``next``
link was cut by paging. alsdx fetches or pages itself only from an allow-listed ``fhirServer`` (the EHR's access
token is sent nowhere else), follows ``next`` links to the end or to :data:`MAX_PAGES`, and reports whatever stayed
missing or cut. Errors are in alsdx's own words: nothing a remote server answered is repeated (no port probe).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from alsdx.api.cds.messages import CdsRequest
from alsdx.api.cds.settings import CdsSettings, fhir_server_allowed

log = logging.getLogger("alsdx.cds")

MAX_PAGES = 50
"""Pages read per search (documented cap: 50 × 200 = 10,000 resources); a search cut here is reported on the cards."""


class Precondition(Exception):
    """Required FHIR data could not be obtained (answered with 412). The message is alsdx's own: it never
    repeats what a remote server answered."""


class FetchFailed(Exception):
    """A FHIR read failed; the message is alsdx's own wording (status class or 'timeout'), never the answer."""


@dataclass
class Obtained:
    """What :meth:`FhirClient.obtain` got: the data by prefetch key, and what was missing or incomplete (for the
    cards)."""

    data: dict[str, Any]
    unavailable: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)


class FhirClient:
    """Reads prefetch and ``fhirServer`` under one service's settings (allow-list, timeout)."""

    def __init__(self, settings: CdsSettings) -> None:
        self.settings = settings

    def _no_fetch_reason(self, body: CdsRequest) -> str | None:
        """Why alsdx may not read from the request's fhirServer (None: it may). Asked only when something must be
        fetched: a complete prefetch needs no allow-listed server."""
        if not (body.fhirServer and body.fhirAuthorization):
            return "no fhirServer with fhirAuthorization given"
        if not fhir_server_allowed(str(body.fhirServer), self.settings):
            return (
                "fhirServer is not on this service's allow-list (ALSDX_CDS_FHIR_SERVERS); alsdx sends the access "
                "token only to a configured FHIR server"
            )
        return None

    async def obtain(self, body: CdsRequest, templates: dict[str, str], required: frozenset[str]) -> Obtained:
        """Prefetched data plus what we fetch ourselves; :class:`Precondition` when required data stay missing.

        A prefetch value that is an OperationOutcome is the client saying it could not fetch: alsdx fetches that key
        from ``fhirServer`` itself when it can. A prefetched searchset with a ``next`` link was cut by paging: alsdx
        reads the remaining pages when it can, and otherwise says so on the cards."""
        prefetch = body.prefetch or {}
        out = Obtained({})
        to_fetch: list[str] = []
        failed_prefetch: set[str] = set()
        for key in templates:
            if key not in prefetch:
                to_fetch.append(key)
            elif _is_operation_outcome(prefetch[key]):
                failed_prefetch.add(key)
                to_fetch.append(key)
            else:
                out.data[key] = prefetch[key]
        cut = [k for k, v in out.data.items() if _next_link(v)]
        no_fetch = self._no_fetch_reason(body) if (cut or to_fetch) else None
        if cut and no_fetch is None:
            more = await asyncio.gather(*(self._more_pages(body, out.data[k]) for k in cut), return_exceptions=True)
            for key, result in zip(cut, more, strict=True):
                if isinstance(result, BaseException):
                    out.missing.append((key, "data cut by paging: the remaining pages could not be read"))
                elif result:
                    out.missing.append((key, f"data cut by paging: more than {MAX_PAGES} pages"))
        elif cut:
            out.missing += [(k, f"data cut by paging: the prefetch has more pages; {no_fetch}") for k in cut]
        if not to_fetch:
            return out
        if no_fetch is not None:
            lacking = [k for k in to_fetch if k in required]
            if lacking:
                why = "failed (OperationOutcome)" if set(lacking) <= failed_prefetch else "missing"
                raise Precondition(f"prefetch {lacking} {why}, and {no_fetch}")
            for key in to_fetch:
                out.unavailable.append(key)
                reason = "prefetch failed (OperationOutcome)" if key in failed_prefetch else "not prefetched"
                out.missing.append((key, f"{reason}; {no_fetch}"))
            return out
        queries = {k: fill_template(templates[k], body.context) for k in to_fetch}  # a bad context value: 400
        fetched = await asyncio.gather(*(self._fetch(body, queries[k]) for k in to_fetch), return_exceptions=True)
        for key, got in zip(to_fetch, fetched, strict=True):
            if isinstance(got, BaseException):
                if not isinstance(got, FetchFailed):
                    log.warning("CDS fetch of %s failed: %s", key, type(got).__name__)
                reason = str(got) if isinstance(got, FetchFailed) else "the FHIR server's answer was not usable"
                if key in required:
                    raise Precondition(f"{key}: could not be fetched from fhirServer ({reason})")
                out.unavailable.append(key)
                out.missing.append((key, f"could not be fetched from fhirServer ({reason})"))
            else:
                value, capped = got
                out.data[key] = value
                if capped:
                    out.missing.append((key, f"data cut by paging: more than {MAX_PAGES} pages"))
        return out

    def _client(self) -> httpx.AsyncClient:
        # No redirects: a redirect could carry the token to another host.
        return httpx.AsyncClient(timeout=self.settings.fhir_timeout_seconds, follow_redirects=False)

    def _headers(self, body: CdsRequest) -> dict[str, str]:
        assert body.fhirAuthorization is not None
        return {
            "Authorization": f"Bearer {body.fhirAuthorization.access_token}",
            "Accept": "application/fhir+json",
        }

    async def _get(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> httpx.Response:
        try:
            return await client.get(url, headers=headers)
        except httpx.TimeoutException:
            raise FetchFailed("timeout") from None
        except httpx.HTTPError:
            raise FetchFailed("connection failed") from None

    async def _fetch(self, body: CdsRequest, query: str) -> tuple[Any, bool]:
        """One filled prefetch query read from fhirServer, following ``next`` links to the end or :data:`MAX_PAGES`;
        returns the resource (or Bundle) and whether the read was capped."""
        assert body.fhirServer is not None
        base = body.fhirServer.rstrip("/")
        headers = self._headers(body)
        async with self._client() as client:
            response = await self._get(client, f"{base}/{query}", headers)
            if response.status_code == 404 and "?" not in query:
                return None, False  # a read of a resource that does not exist: no data
            first = _resource_of(response)
            if first.get("resourceType") != "Bundle":
                return first, False
            capped = await self._follow(client, base, headers, first)
            return first, capped

    async def _more_pages(self, body: CdsRequest, bundle: dict[str, Any]) -> bool:
        """Read the pages after a prefetched searchset into it; True when capped."""
        assert body.fhirServer is not None
        async with self._client() as client:
            return await self._follow(client, body.fhirServer.rstrip("/"), self._headers(body), bundle)

    async def _follow(
        self, client: httpx.AsyncClient, base: str, headers: dict[str, str], first: dict[str, Any]
    ) -> bool:
        page = first
        for _ in range(MAX_PAGES - 1):
            url = _next_link(page)
            if url is None:
                first["link"] = [x for x in first.get("link", []) if x.get("relation") != "next"]
                return False
            if not _same_server(url, base):
                raise FetchFailed("a next link points outside fhirServer; the token is not sent there")
            page = _resource_of(await self._get(client, url, headers))
            if page.get("resourceType") != "Bundle":
                raise FetchFailed("a search page is not a Bundle")
            first.setdefault("entry", []).extend(page.get("entry") or [])
        return _next_link(page) is not None


_TOKEN = re.compile(r"\{\{\s*context\.([A-Za-z0-9_]+)\s*\}\}")


def fill_template(template: str, context: dict[str, Any]) -> str:
    """Replace ``{{context.x}}`` prefetch tokens (root-level primitive context fields only), percent-encoded, so a
    value such as ``../x`` or ``a?b`` stays one path segment or one parameter value; ValueError for a token without
    a primitive value (a 400)."""

    def value(m: re.Match[str]) -> str:
        v = context.get(m.group(1))
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            raise ValueError(f"prefetch token {m.group(0)} has no primitive value in context")
        return quote(str(v), safe="")

    return _TOKEN.sub(value, template)


def without_duplicates(data: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Each resource once: an Observation coded in two systems can match two prefetch searches."""
    seen: set[tuple[str, str]] = set()
    out = []
    for key, value in data:
        if isinstance(value, dict) and value.get("resourceType") == "Bundle" and isinstance(value.get("entry"), list):
            entries = []
            for e in value["entry"]:
                r = e.get("resource") if isinstance(e, dict) else None
                ident = (str(r.get("resourceType")), r.get("id")) if isinstance(r, dict) else None
                if ident is not None and isinstance(ident[1], str):
                    if (ident[0], ident[1]) in seen:
                        continue
                    seen.add((ident[0], ident[1]))
                entries.append(e)
            value = {**value, "entry": entries}
        out.append((key, value))
    return out


def _is_operation_outcome(value: Any) -> bool:
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


def _next_link(bundle: Any) -> str | None:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return None
    links = bundle.get("link")
    if not isinstance(links, list):
        return None
    url = next((x.get("url") for x in links if isinstance(x, dict) and x.get("relation") == "next"), None)
    return url if isinstance(url, str) else None


def _same_server(url: str, base: str) -> bool:
    u, b = urlsplit(url), urlsplit(base)
    return (u.scheme, u.netloc) == (b.scheme, b.netloc) and (u.path + "/").startswith(b.path.rstrip("/") + "/")


def _resource_of(response: httpx.Response) -> dict[str, Any]:
    """The JSON resource of a FHIR answer; errors in alsdx's words, never the server's."""
    if response.status_code >= 400:
        raise FetchFailed(f"HTTP {response.status_code // 100}xx")
    try:
        page = response.json()
    except ValueError:
        raise FetchFailed("the answer is not JSON") from None
    if not isinstance(page, dict) or not isinstance(page.get("resourceType"), str):
        raise FetchFailed("the answer is not a FHIR resource")
    return page
