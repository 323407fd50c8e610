"""Database engine and transactions.

One :class:`Database` per process, created from ``[database] connection`` and
handed to the components that need it (no module-level engine).

SQLite (the embedded default) runs in WAL mode with a busy timeout, foreign
keys on, and every write transaction opened with ``BEGIN IMMEDIATE``: pysqlite's
deferred BEGIN would fail lock upgrades at once under concurrent writers.
MySQL/MariaDB runs at READ COMMITTED. Transactions that hit a deadlock or a
serialization failure are retried as a whole by :meth:`Database.run`.
"""

import contextlib
import logging
import random
import time

import sqlalchemy as sa
from sqlalchemy import event, exc as sa_exc, orm

from mistral import exceptions as exc

LOG = logging.getLogger(__name__)


class Database:
    """An SQLAlchemy engine plus a session factory."""

    def __init__(self, url, synchronous="NORMAL", busy_timeout_ms=30000, pool_size=10, max_overflow=20, max_retries=10):
        self.url = sa.engine.make_url(url)
        self.max_retries = max_retries
        kwargs = {"future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "isolation_level": None, "timeout": busy_timeout_ms / 1000.0}
            if self.url.database in (None, "", ":memory:"):
                kwargs["poolclass"] = sa.pool.StaticPool
        else:
            kwargs.update(pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True, pool_recycle=3600)
            if self.url.get_backend_name() in ("mysql", "mariadb"):
                kwargs["isolation_level"] = "READ COMMITTED"
        self.engine = sa.create_engine(self.url, **kwargs)
        if self.is_sqlite:
            self._setup_sqlite(synchronous, busy_timeout_ms)
        self._sessions = orm.sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=True)
        _hold_strong_references(self._sessions)

    @property
    def is_sqlite(self):
        return self.url.get_backend_name() == "sqlite"

    def _setup_sqlite(self, synchronous, busy_timeout_ms):
        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=%s" % synchronous)
            cur.execute("PRAGMA busy_timeout=%d" % int(busy_timeout_ms))
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn):
            if conn.get_execution_options().get("readonly"):
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

    @contextlib.contextmanager
    def transaction(self, readonly=False):
        """Open a session in a transaction; commit on success, roll back on error.

        :param readonly: on SQLite, start a deferred (shared) transaction.
        """
        bind = self.engine.execution_options(readonly=True) if readonly else self.engine
        session = self._sessions(bind=bind)
        try:
            with session.begin():
                yield session
        except sa_exc.IntegrityError as e:
            raise _integrity_error(e) from e
        finally:
            session.close()

    def run(self, func, *args, readonly=False, **kwargs):
        """Call ``func(session, *args, **kwargs)`` in one transaction.

        The whole transaction is retried on a deadlock or serialization
        failure (a transient condition on PostgreSQL and MySQL), so ``func``
        must not have side effects outside the database.
        """
        attempt = 0
        while True:
            try:
                with self.transaction(readonly=readonly) as session:
                    return func(session, *args, **kwargs)
            except sa_exc.OperationalError as e:
                attempt += 1
                if not _is_retryable(e) or attempt > self.max_retries:
                    raise
                LOG.debug("Retrying transaction after %s (attempt %d)", type(e.orig).__name__, attempt)
                time.sleep(min(0.5, 0.01 * (2**attempt)) * random.random())

    def dispose(self):
        self.engine.dispose()


def _hold_strong_references(factory):
    """Keep every row a session loads or creates until the session ends.

    The identity map holds rows weakly: a row nobody references any more
    would be loaded again by the next ``session.get``. Sessions here live
    for one transaction, so holding them costs little and saves a SELECT
    per lookup on the engine's hot path.
    """

    def _hold(session, instance):
        session.info.setdefault("held", set()).add(instance)

    for name in ("pending_to_persistent", "loaded_as_persistent", "detached_to_persistent"):
        event.listen(factory, name, _hold)


def _is_retryable(error):
    text = str(getattr(error, "orig", error)).lower()
    return any(
        marker in text
        for marker in ("deadlock", "could not serialize", "lock wait timeout", "database is locked", "try restarting transaction")
    )


def _integrity_error(error):
    text = str(error.orig).lower()
    if "unique" in text or "duplicate" in text:
        return exc.DBDuplicateEntryError("Duplicate entry: %s" % _short(error))
    return exc.DBError("Integrity error: %s" % _short(error))


def _short(error):
    return str(error.orig).splitlines()[0][:300]


def from_config(conf):
    """Build the process's :class:`Database` from ``[database]``."""
    db = conf.database
    return Database(
        db.connection,
        synchronous=db.sqlite_synchronous,
        busy_timeout_ms=db.sqlite_busy_timeout_ms,
        pool_size=db.max_pool_size,
        max_overflow=db.max_overflow,
        max_retries=db.max_retries,
    )
