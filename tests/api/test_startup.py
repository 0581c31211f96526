"""Server start-up (alsdx.api.startup): both apps prepare the process before their first request."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from cds_helpers import settings
from fastapi import FastAPI
from fastapi.testclient import TestClient

from alsdx.api import Settings, create_app, startup
from alsdx.api.cds import create_cds_app


@pytest.mark.parametrize("make", ["cds", "main"])
def test_app_start_up_loads_the_fhir_models_and_freezes_the_heap_once(make: str, tmp_path: Path) -> None:
    app: FastAPI = (
        create_cds_app(settings()) if make == "cds" else create_app(Settings(database_url=f"sqlite:///{tmp_path}/t.db"))
    )
    with TestClient(app):
        frozen = gc.get_freeze_count()
        assert frozen > 0  # the start-up objects are out of the collector's generations
        assert "fhir.resources.R4B.observation" in sys.modules
        assert "fhir.resources.R4B.questionnaireresponse" in sys.modules
    running = {"state": []}  # an object of the running application, tracked by the collector
    startup.freeze_startup_heap()  # once per process: later objects are never frozen
    assert gc.get_freeze_count() <= frozen
    assert any(o is running for o in gc.get_objects())  # still collectable (frozen objects are not listed)
