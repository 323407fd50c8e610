"""The storage layer on PostgreSQL and MariaDB: migrations run by
``mistral-db-manage``, models matching migrations, big JSON values,
microsecond datetimes, compare-and-swap state changes under concurrency and
retried deadlocks.

Every test runs once per backend, each backend on a database of its own.
"""

import datetime
import os
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from mistral.db import executions as db_ex, migration, models
from mistral.db.session import Database
from mistral.engine import states

BIN = os.path.dirname(sys.executable)
THREADS = 8


@pytest.fixture(scope="module", params=["postgresql", "mariadb"])
def db_url(request):
    """A fresh database of each backend, shared by the tests of this module."""
    return request.getfixturevalue("pg_database" if request.param == "postgresql" else "mariadb_database")


@pytest.fixture(scope="module")
def db(db_url):
    database = Database(db_url, pool_size=THREADS, max_overflow=THREADS)
    yield database
    database.dispose()


@pytest.fixture
def schema(db):
    """The schema at head (a no-op once a previous test built it)."""
    migration.upgrade(db)
    return db


def _tables(db):
    return set(sa.inspect(db.engine).get_table_names())


def _model_tables():
    return set(models.Base.metadata.tables)


def _version(db):
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_heads()


def test_db_manage_upgrade_head_builds_the_schema(db, db_url, tmp_path):
    migration.downgrade(db, "base")
    assert _tables(db) <= {"alembic_version"}
    conf = tmp_path / "mistral.conf"
    conf.write_text("[database]\nconnection = %s\n" % db_url)

    done = subprocess.run(
        [os.path.join(BIN, "mistral-db-manage"), "--config-file", str(conf), "upgrade", "head"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert _tables(db) == _model_tables() | {"alembic_version"}
    assert _version(db) == tuple(migration.heads())


def test_models_match_migrations(schema):
    with schema.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, models.Base.metadata) == []


def test_downgrade_base_then_upgrade_again(schema):
    migration.downgrade(schema, "base")
    assert _tables(schema) == {"alembic_version"}
    assert _version(schema) == ()
    migration.upgrade(schema)
    assert _tables(schema) == _model_tables() | {"alembic_version"}
    assert _version(schema) == tuple(migration.heads())


def test_session_settings(schema):
    with schema.engine.connect() as conn:
        level = conn.get_isolation_level()
    # MySQL/MariaDB default to REPEATABLE READ, where a compare-and-swap
    # reads a stale snapshot; the design asks for READ COMMITTED everywhere.
    assert level == "READ COMMITTED"


def _new_execution(session, **values):
    values.setdefault("workflow_name", "wf")
    values.setdefault("state", states.RUNNING)
    return db_ex.create_workflow_execution(session, values)


def test_two_mib_json_round_trips(schema):
    big = {
        "blob": "x" * (2 * 1024 * 1024),
        "unicode": "zażółć gęślą jaźń \U0001f422",
        "nested": [{"i": i, "v": [i, str(i), None, True]} for i in range(1000)],
    }
    text = "# \U0001f422 żółw\n" + "y" * (2 * 1024 * 1024)

    def _store(session):
        wf_ex = _new_execution(session, output=big, state_info=text)
        return wf_ex.id

    ex_id = schema.run(_store)

    def _load(session):
        wf_ex = db_ex.get_workflow_execution(session, ex_id)
        return wf_ex.output, wf_ex.state_info

    output, state_info = schema.run(_load, readonly=True)
    assert output == big
    assert state_info == text


def test_datetimes_keep_microseconds(schema):
    moment = datetime.datetime(2026, 11, 26, 16, 47, 39, 123456)
    ex_id = schema.run(lambda s: _new_execution(s, created_at=moment, updated_at=moment).id)

    def _load(session):
        row = session.execute(sa.select(models.WorkflowExecution.created_at, models.WorkflowExecution.updated_at).where(
            models.WorkflowExecution.id == ex_id
        )).one()
        return tuple(row)

    assert schema.run(_load, readonly=True) == (moment, moment)


def _make_entity(db, kind):
    """A RUNNING workflow, task or action execution; returns (model, id)."""

    def _create(session):
        wf_ex = _new_execution(session)
        if kind == "workflow":
            return wf_ex.id
        task_ex = db_ex.create_task_execution(session, {"name": "t", "workflow_execution_id": wf_ex.id, "state": states.RUNNING})
        if kind == "task":
            return task_ex.id
        return db_ex.create_action_execution(session, {"name": "std.noop", "task_execution_id": task_ex.id, "state": states.RUNNING}).id

    return db.run(_create)


CAS = {
    "workflow": (models.WorkflowExecution, db_ex.set_workflow_state),
    "task": (models.TaskExecution, db_ex.set_task_state),
    "action": (models.ActionExecution, db_ex.set_action_state),
}


def _race(db, model, set_state, entity_id):
    """THREADS transactions read the RUNNING entity, then all try to CAS it to
    SUCCESS at once; the list of what each got back, and any errors."""
    barrier = threading.Barrier(THREADS, timeout=30)
    results, errors = [], []

    def _swap(session, first_attempt):
        obj = session.get(model, entity_id)
        assert obj.state == states.RUNNING
        if first_attempt[0]:
            # Everybody has read RUNNING before anybody writes.
            first_attempt[0] = False
            barrier.wait()
        won = set_state(session, obj, states.SUCCESS, expected=states.RUNNING, state_info="won")
        if won:
            # Hold the row lock a little: the others queue behind it and
            # must re-check the state once it commits.
            time.sleep(0.05)
        return won

    def _worker():
        try:
            results.append(db.run(_swap, [True]))
        except Exception as e:  # noqa: BLE001 - reported by the caller
            errors.append(e)
            barrier.abort()

    threads = [threading.Thread(target=_worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


@pytest.mark.parametrize("kind", sorted(CAS))
def test_exactly_one_concurrent_compare_and_swap_wins(schema, kind):
    model, set_state = CAS[kind]
    for _round in range(3):
        entity_id = _make_entity(schema, kind)

        results, errors = _race(schema, model, set_state, entity_id)

        assert errors == []
        assert sorted(results) == [False] * (THREADS - 1) + [True]
        final = schema.run(lambda s, i=entity_id: s.get(model, i).state, readonly=True)
        assert final == states.SUCCESS


def test_deadlocked_transaction_is_retried(schema):
    first, second = (_make_entity(schema, "workflow") for _ in range(2))
    barrier = threading.Barrier(2, timeout=30)
    attempts, errors = [], []
    wf = models.WorkflowExecution

    def _touch_both(session, order, name):
        attempts.append(name)
        for i, ex_id in enumerate(order):
            session.execute(sa.update(wf).where(wf.id == ex_id).values(description=name))
            if i == 0 and attempts.count(name) == 1:
                # Both hold one row and want the other's: a deadlock.
                barrier.wait()

    def _worker(order, name):
        try:
            schema.run(_touch_both, order, name)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [
        threading.Thread(target=_worker, args=((first, second), "a")),
        threading.Thread(target=_worker, args=((second, first), "b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert errors == []
    assert len(attempts) == 3, attempts  # the deadlock victim ran twice
    victim = attempts[-1]
    descriptions = schema.run(lambda s: {s.get(wf, i).description for i in (first, second)}, readonly=True)
    assert descriptions == {victim}
