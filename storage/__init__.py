"""SQLAlchemy storage: tables, repositories, Alembic migrations.

    store = await SqlStore.open(normalise_url(os.environ.get("DATABASE_URL")
                                              or default_database_url()))

Callers treat `TRANSIENT_ERRORS` (the database is unreachable or busy) as "retry later"."""

from storage.database import (
    current_revision,
    default_database_url,
    head_revision,
    normalise_url,
    upgrade,
)
from storage.errors import TRANSIENT_ERRORS, StorageError, TransientStorageError, is_transient
from storage.store import SqlStore

__all__ = [
    "TRANSIENT_ERRORS",
    "SqlStore",
    "StorageError",
    "TransientStorageError",
    "current_revision",
    "default_database_url",
    "head_revision",
    "is_transient",
    "normalise_url",
    "upgrade",
]
