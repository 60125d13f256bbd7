"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from config import BASE_DIR, TestingConfig
from models import Base
from tests.conftest import database_url, is_postgres

MIGRATIONS = str(BASE_DIR / "migrations")


@contextmanager
def fresh_database(tmp_path: Path):
    """An empty database of the same kind as the test database, dropped afterwards."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(database_url())
    name = f"sks_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_and_models_agree(tmp_path):
    with fresh_database(tmp_path) as url:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(directory=MIGRATIONS)
            engine = create_engine(url)
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(context, Base.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            tables = set(inspect(engine).get_table_names())
            assert set(Base.metadata.tables) <= tables
            downgrade(directory=MIGRATIONS, revision="base")
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            engine.dispose()
