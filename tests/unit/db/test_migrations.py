"""Migrations are the only source of the schema: they must match the models,
keep one head, and go up and down on SQLite."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from mistral.db import migration, models
from mistral.db.session import Database


def _diff(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, models.Base.metadata)


def test_single_head():
    assert len(migration.heads()) == 1


def test_models_match_migrations_on_sqlite(tmp_path):
    db = Database("sqlite:///%s" % (tmp_path / "m.sqlite"))
    migration.upgrade(db)
    assert _diff(db) == []
    db.dispose()


def test_upgrade_downgrade_upgrade(tmp_path):
    db = Database("sqlite:///%s" % (tmp_path / "m.sqlite"))
    migration.upgrade(db)
    migration.downgrade(db, "base")
    assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
    migration.upgrade(db)
    assert "workflow_executions" in sa.inspect(db.engine).get_table_names()
    db.dispose()


def test_sqlite_pragmas(tmp_path):
    db = Database("sqlite:///%s" % (tmp_path / "m.sqlite"))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    db.dispose()
