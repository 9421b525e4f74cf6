"""SQLAlchemy storage: tables, repositories, Alembic migrations."""
