"""Patient registry: SQLAlchemy 2 models, Alembic migrations and the operations the API needs.

SQLite (WAL mode, a file under the user's data directory) is the embedded default; PostgreSQL is used
through ``ALSDX_DATABASE_URL=postgresql+psycopg://...``. Visits, assessments and the audit log are
append-only: an edit inserts a new version, and the database refuses UPDATE/DELETE on those tables.
"""

from alsdx.store.engine import database_url, migrate, open_store
from alsdx.store.schema import (
    ApiToken,
    Assessment,
    AuditEvent,
    Base,
    Clinic,
    Patient,
    User,
    Visit,
    VisitVersion,
)

__all__ = [
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "Base",
    "Clinic",
    "Patient",
    "User",
    "Visit",
    "VisitVersion",
    "database_url",
    "migrate",
    "open_store",
]
