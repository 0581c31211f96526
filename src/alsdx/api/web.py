"""Clinician web pages (filled in by the web step)."""

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    return None
