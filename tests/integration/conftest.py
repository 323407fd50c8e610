"""Integration tests: PostgreSQL, MariaDB and RabbitMQ, and the real daemons
as separate processes.

Each service is probed once per session (a TCP connect, then a real login);
a missing one skips its tests on a developer's machine and fails them under
``CI=true`` (``require_service`` of tests/conftest.py). Where the services
live comes from the environment, defaulting to this machine:

- ``MISTRAL_TEST_PG_URL``: a PostgreSQL URL whose user may CREATE DATABASE
- ``MISTRAL_TEST_MYSQL_URL``: the same for MariaDB/MySQL
- ``MISTRAL_TEST_RABBIT_URL``: an oslo.messaging ``rabbit://`` transport URL

Tests sharing these servers never see each other's data: every test module
gets its own freshly created database (dropped afterwards), and every test
its own ``control_exchange`` and RPC topics (their queues deleted afterwards).
"""

import importlib.util
import os
import socket
import urllib.parse
import uuid

import amqp
import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("MISTRAL_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
MYSQL_URL = os.environ.get("MISTRAL_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/mysql?charset=utf8mb4")
RABBIT_URL = os.environ.get("MISTRAL_TEST_RABBIT_URL", "rabbit://guest:guest@127.0.0.1:5672/")

PROBE_TIMEOUT = 3


def _root_conftest():
    # Every conftest.py is imported as a module named "conftest", so the
    # parent's helpers cannot be imported by name: load it by path.
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "conftest.py")
    spec = importlib.util.spec_from_file_location("mistral_tests_root_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


require_service = _root_conftest().require_service


# -- probes ----------------------------------------------------------------------


def _tcp_probe(host, port):
    try:
        socket.create_connection((host, port), timeout=PROBE_TIMEOUT).close()
    except OSError as e:
        return "no TCP connection to %s:%s (%s)" % (host, port, e)
    return None


def _sql_probe(url, default_port):
    parsed = sa.engine.make_url(url)
    problem = _tcp_probe(parsed.host or "127.0.0.1", parsed.port or default_port)
    if problem:
        return problem
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": PROBE_TIMEOUT})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as e:
        return "login to %s failed: %s" % (parsed.render_as_string(hide_password=True), str(e.orig).strip())
    finally:
        engine.dispose()
    return None


def amqp_params(transport_url):
    """Keyword arguments of ``amqp.Connection`` for an oslo ``rabbit://`` URL."""
    parsed = urllib.parse.urlsplit(transport_url)
    vhost = urllib.parse.unquote(parsed.path[1:]) if len(parsed.path) > 1 else "/"
    return {
        "host": "%s:%d" % (parsed.hostname or "127.0.0.1", parsed.port or 5672),
        "userid": urllib.parse.unquote(parsed.username or "guest"),
        "password": urllib.parse.unquote(parsed.password or "guest"),
        "virtual_host": vhost,
        "connect_timeout": PROBE_TIMEOUT,
    }


def _rabbit_probe(url):
    params = amqp_params(url)
    host, port = params["host"].rsplit(":", 1)
    problem = _tcp_probe(host, int(port))
    if problem:
        return problem
    try:
        with amqp.Connection(**params) as conn:
            conn.connect()
    except Exception as e:  # noqa: BLE001 - any failure means "not usable"
        return "AMQP login as %r failed: %s" % (params["userid"], e)
    return None


@pytest.fixture(scope="session")
def postgres_server():
    """Admin URL of the PostgreSQL server; skips (fails under CI) without it."""
    problem = _sql_probe(PG_URL, 5432)
    require_service("PostgreSQL", problem is None, problem or "")
    return PG_URL


@pytest.fixture(scope="session")
def mariadb_server():
    """Admin URL of the MariaDB server; skips (fails under CI) without it."""
    problem = _sql_probe(MYSQL_URL, 3306)
    require_service("MariaDB", problem is None, problem or "")
    return MYSQL_URL


@pytest.fixture(scope="session")
def rabbitmq_server():
    """Transport URL of RabbitMQ; skips (fails under CI) without it."""
    problem = _rabbit_probe(RABBIT_URL)
    require_service("RabbitMQ", problem is None, problem or "")
    return RABBIT_URL


# -- databases ---------------------------------------------------------------------


class FreshDatabase:
    """A uniquely named, empty database on a server, dropped by :meth:`drop`."""

    def __init__(self, admin_url):
        self.admin_url = sa.engine.make_url(admin_url)
        self.name = "mistral_it_%s" % uuid.uuid4().hex[:12]
        self.url = self.admin_url.set(database=self.name).render_as_string(hide_password=False)
        self.backend = self.admin_url.get_backend_name()
        self._admin = sa.create_engine(self.admin_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")

    def create(self):
        if self.backend == "postgresql":
            ddl = 'CREATE DATABASE "%s" ENCODING \'UTF8\' TEMPLATE template0' % self.name
        else:
            ddl = "CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" % self.name
        with self._admin.connect() as conn:
            conn.execute(sa.text(ddl))
        return self

    def drop(self):
        with self._admin.connect() as conn:
            if self.backend == "postgresql":
                # FORCE: daemons killed by a test may leave sessions behind.
                conn.execute(sa.text('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.name))
            else:
                conn.execute(sa.text("DROP DATABASE IF EXISTS `%s`" % self.name))
        self._admin.dispose()


def _fresh_database(admin_url):
    db = FreshDatabase(admin_url).create()
    try:
        yield db.url
    finally:
        db.drop()


@pytest.fixture(scope="module")
def pg_database(postgres_server):
    """URL of a new PostgreSQL database for this test module."""
    yield from _fresh_database(postgres_server)


@pytest.fixture(scope="module")
def mariadb_database(mariadb_server):
    """URL of a new MariaDB database for this test module."""
    yield from _fresh_database(mariadb_server)


# -- messaging ---------------------------------------------------------------------


class Messaging:
    """One test's private corner of the shared broker.

    Its own ``control_exchange`` and engine/executor topics: oslo.messaging
    names a topic's queue after the topic alone, so a unique exchange is not
    enough to keep two tests' messages apart.
    """

    def __init__(self, transport_url):
        suffix = uuid.uuid4().hex[:12]
        self.transport_url = transport_url
        self.control_exchange = "mistral_it_%s" % suffix
        self.engine_topic = "mistral_engine_%s" % suffix
        self.executor_topic = "mistral_executor_%s" % suffix

    def cleanup(self):
        """Delete the topics' queues and the exchange (gone already when the
        daemons ran with ``amqp_auto_delete``; deleting a missing queue or
        exchange is not an error in RabbitMQ)."""
        with amqp.Connection(**amqp_params(self.transport_url)) as conn:
            conn.connect()
            channel = conn.channel()
            for queue in (self.engine_topic, self.executor_topic):
                channel.queue_delete(queue)
            channel.exchange_delete(self.control_exchange)


@pytest.fixture
def messaging(rabbitmq_server):
    """A unique control_exchange and topics for this test on the shared broker."""
    ns = Messaging(rabbitmq_server)
    yield ns
    ns.cleanup()


# -- daemon logs in failure reports --------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the logs of the daemons a failed test started to its report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for name, text in getattr(item, "daemon_logs", lambda: [])():
            report.sections.append(("daemon log: %s" % name, text))
