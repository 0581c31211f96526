"""Typed errors. Every message names the field path and, where it applies, the allowed values."""

from __future__ import annotations

from dataclasses import dataclass


class AlsdxError(Exception):
    """Base class of every error alsdx raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of an input document."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CaseValidationError(AlsdxError, ValueError):
    """A case document broke the case-file contract (docs/case-format.md)."""

    def __init__(self, errors: list[FieldError], source: str | None = None) -> None:
        self.errors = errors
        self.source = source
        where = f"{source}: " if source else ""
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"{where}invalid case ({len(errors)} problem(s)):\n{lines}")


class CaseFileError(AlsdxError, ValueError):
    """A case file could not be read or parsed at all (syntax, encoding, size)."""
