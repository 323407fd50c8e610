"""Functional tests: API + engine + executor in one process, over the
in-process transport and a SQLite file built by the migrations.

The schema is built once per session and copied for each test, so every
test starts from an empty, fully migrated database.
"""

import shutil

import futurist._thread
import pytest
from functional_support import Endpoint, ServerHandle, make_conf

from mistral.db import migration, session as db_session
from mistral.engine import clock as engine_clock
from mistral.service import Launcher, Services

# oslo.messaging's threading executor (futurist) lets an idle worker notice
# a shutdown only after MAX_IDLE_FOR (1 s), which made every server stop in a
# test take a second; a shorter idle poll keeps teardown fast.
futurist._thread.ThreadWorker.MAX_IDLE_FOR = 0.05


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "template.sqlite"
    db = db_session.Database("sqlite:///%s" % path)
    migration.upgrade(db)
    db.dispose()
    return path


@pytest.fixture
def server_factory(tmp_path, schema_template):
    """Start servers on copies of the migrated schema; stopped after the test."""
    started = []

    def _start(clock=None, db_path=None, options=None):
        """``options``: {(group, name): value} config overrides."""
        if db_path is None:
            db_path = tmp_path / ("mistral-%d.sqlite" % len(started))
            shutil.copy(schema_template, db_path)
        conf = make_conf("sqlite:///%s" % db_path, options=options)
        services = Services(conf, clock=clock or engine_clock.Clock())
        launcher = Launcher(services, ["api", "engine", "executor"])
        launcher.start()
        handle = ServerHandle(launcher, services, db_path)
        started.append(handle)
        return handle

    yield _start
    for handle in started:
        handle.launcher.stop()
        handle.services.db.dispose()


@pytest.fixture
def server(server_factory):
    return server_factory()


@pytest.fixture
def api(server):
    return server.api


@pytest.fixture
def endpoint():
    ep = Endpoint()
    yield ep
    ep.stop()
