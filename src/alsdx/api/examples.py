"""A small valid case for the OpenAPI examples (tests check it against the Case model)."""

from __future__ import annotations

from typing import Any

EXAMPLE_CASE: dict[str, Any] = {
    "id": "demo-001",
    "sex": "female",
    "age_at_onset": 61,
    "symptom_onset": "2025-03-01",
    "assessment_date": "2026-01-15",
    "onset_region": "bulbar",
    "course": "progressive",
    "other_causes_excluded": True,
    "exam": {
        "bulbar": {"umn": ["jaw_jerk"], "lmn": ["fasciculations", "atrophy"]},
        "cervical": {"umn": ["hyperreflexia", "hoffmann"], "lmn": ["weakness", "atrophy"]},
        "lumbosacral": {"umn": ["babinski"], "lmn": []},
    },
    "emg": [
        {
            "muscle": "first_dorsal_interosseous",
            "side": "left",
            "fibrillations_psw": True,
            "chronic_neurogenic": True,
        },
        {"muscle": "biceps_brachii", "side": "left", "fibrillations_psw": True, "chronic_neurogenic": True},
    ],
    "alsfrs_r": [
        {
            "date": "2026-01-15",
            "gastrostomy": False,
            "items": {
                "speech": 3,
                "salivation": 3,
                "swallowing": 3,
                "handwriting": 4,
                "cutting_food": 4,
                "dressing_hygiene": 4,
                "turning_in_bed": 4,
                "walking": 4,
                "climbing_stairs": 4,
                "dyspnea": 4,
                "orthopnea": 4,
                "respiratory_insufficiency": 4,
            },
        },
    ],
    "fvc": [{"date": "2026-01-15", "percent_predicted": 82, "position": "upright"}],
}

CASE_EXAMPLES = {"bulbar-onset": {"summary": "Bulbar-onset case with EMG", "value": EXAMPLE_CASE}}
