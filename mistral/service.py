"""Building and running the service's components: API, engine, executor.

``Services`` holds what a process shares (config, database, RPC transport
and clients); ``Launcher`` starts the requested components in threads of one
process (``mistral-server --server all`` runs all three) and stops them.
"""

import logging
import os
import socket
import threading
import uuid
import wsgiref.simple_server
from socketserver import ThreadingMixIn

from mistral import rpc
from mistral.db import migration, session as db_session
from mistral.engine import clock as engine_clock
from mistral.engine.context import ContextCache
from mistral.engine.manager import EngineManager
from mistral.engine.rpcapi import EngineClient
from mistral.engine.scheduler import Scheduler
from mistral.engine.unit import Runtime
from mistral.executor.manager import ExecutorManager
from mistral.executor.rpcapi import ExecutorClient

LOG = logging.getLogger(__name__)

COMPONENTS = ("api", "engine", "executor")


class Services:
    """What the components of one process share."""

    def __init__(self, conf, db=None, transport=None, clock=None):
        self.conf = conf
        self.db = db or db_session.from_config(conf)
        self.transport = transport or rpc.get_transport(conf)
        self.clock = clock or engine_clock.Clock()
        self.engine_client = EngineClient(self.transport, conf.engine.topic)
        self.executor_client = ExecutorClient(self.transport, conf.executor.topic)


class _ThreadingWSGIServer(ThreadingMixIn, wsgiref.simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, fmt, *args):
        LOG.debug("%s - %s", self.address_string(), fmt % args)


class Launcher:
    """Starts components in threads of this process."""

    def __init__(self, services, components):
        unknown = set(components) - set(COMPONENTS)
        if unknown:
            raise ValueError("Unknown server component(s): %s (choose from %s)" % (", ".join(sorted(unknown)), ", ".join(COMPONENTS)))
        self.services = services
        self.components = list(components)
        self.rpc_servers = []
        self.http_server = None
        self.scheduler = None
        self.engine_manager = None
        self.executor_manager = None
        self._threads = []

    def prepare_database(self):
        conf = self.services.conf
        if self.services.db.is_sqlite and conf.database.auto_create_schema:
            migration.upgrade(self.services.db)

    def start(self):
        s = self.services
        conf = s.conf
        host = socket.gethostname()
        if "executor" in self.components:
            executor_id = "%s-executor-%d-%s" % (host, os.getpid(), uuid.uuid4().hex[:8])
            reporter = EngineClient(s.transport, conf.engine.topic, timeout=conf.executor.report_timeout)
            self.executor_manager = ExecutorManager(s.db, reporter, engine_clock.Clock(), conf.executor, executor_id)
            self.executor_manager.start()
            server = rpc.get_server(s.transport, conf.executor.topic, executor_id, self.executor_manager)
            server.start()
            self.rpc_servers.append(server)
        if "engine" in self.components:
            runtime = Runtime(conf, s.clock, ContextCache(), serialized_writes=s.db.is_sqlite)
            self.engine_manager = EngineManager(s.db, runtime, s.executor_client, self_client=s.engine_client)
            self.scheduler = Scheduler(self.engine_manager, s.clock, conf.engine.scheduler_poll_interval, conf.engine.sweep_interval)
            self.engine_manager.on_jobs = self.scheduler.wake
            server = rpc.get_server(s.transport, conf.engine.topic, "%s-engine-%d" % (host, os.getpid()), self.engine_manager)
            server.start()
            self.rpc_servers.append(server)
            all_in_one = "executor" in self.components and rpc.is_in_process(conf)
            recovered = self.engine_manager.recover(all_in_one)
            if recovered:
                LOG.warning("Recovered %d action execution(s) left running by a previous run", recovered)
            self.scheduler.start()
        if "api" in self.components:
            from mistral.api import app as api_app

            wsgi = api_app.setup_app(s)
            self.http_server = wsgiref.simple_server.make_server(
                conf.api.host, conf.api.port, wsgi, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
            )
            thread = threading.Thread(target=self.http_server.serve_forever, kwargs={"poll_interval": 0.05}, name="api", daemon=True)
            thread.start()
            self._threads.append(thread)
            LOG.info("API listening on http://%s:%s", conf.api.host, self.http_server.server_port)

    @property
    def api_port(self):
        return self.http_server.server_port if self.http_server else None

    def stop(self):
        if self.http_server is not None:
            self.http_server.shutdown()
            self.http_server.server_close()
        if self.scheduler is not None:
            self.scheduler.stop()
        for server in self.rpc_servers:
            try:
                server.stop()
                server.wait()
            except Exception:  # noqa: BLE001 - best effort at shutdown
                LOG.exception("Failed to stop an RPC server")
        if self.executor_manager is not None:
            self.executor_manager.stop()
