"""Care plan (engine layer): a dated, checkable plan from a case and, when given, its course outputs."""

from alsdx.care.course_inputs import RespiratoryInputs
from alsdx.care.models import Plan
from alsdx.care.plan import build_plan

__all__ = ["Plan", "RespiratoryInputs", "build_plan"]
