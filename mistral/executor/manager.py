"""The executor's RPC endpoint: runs actions in a thread pool and reports
results to the engine.

Each action is first claimed in the database (a compare-and-swap), so a
duplicate dispatch runs it at most once; while it runs, a heartbeat tells
the engines this executor is alive. Results are delivered with an RPC call
that is retried (to any engine) until one accepts it: an engine that dies
while handling a result loses nothing.
"""

import concurrent.futures
import logging
import threading
import time

import oslo_messaging

from mistral import exceptions as exc
from mistral.actions import runner
from mistral.actions.base import ActionContext
from mistral.db import executions as db_ex

LOG = logging.getLogger(__name__)


class ExecutorManager:
    target = oslo_messaging.Target(version="1.0")

    def __init__(self, db, engine_client, clock, conf, executor_id):
        """:param conf: the ``[executor]`` option group."""
        self._db = db
        self._engine = engine_client
        self._clock = clock
        self._conf = conf
        self.executor_id = executor_id
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=conf.workers, thread_name_prefix="action")
        self._stopping = threading.Event()
        self._running = set()
        self._lock = threading.Lock()
        self._heartbeat_thread = None

    def start(self):
        self._heartbeat_thread = threading.Thread(target=self._heartbeats, name="executor-heartbeat", daemon=True)
        self._heartbeat_thread.start()

    def ping(self, ctxt):
        return "pong"

    def run_action(self, ctxt, action_ex_id, action_name, action_input, safe_rerun=False, timeout=None, context=None):
        self._pool.submit(self._run, action_ex_id, action_name, action_input, timeout, context or {})

    def _run(self, action_ex_id, action_name, action_input, timeout, context):
        try:
            claimed = self._db.run(db_ex.claim_action, action_ex_id, self.executor_id, self._clock.now())
        except Exception:  # noqa: BLE001 - the engine's sweep dispatches it again
            LOG.exception("Failed to claim action execution [id=%s]", action_ex_id)
            return
        if not claimed:
            LOG.debug("Action execution [id=%s] is claimed elsewhere or finished", action_ex_id)
            return
        with self._lock:
            self._running.add(action_ex_id)
        try:
            ctx = ActionContext.from_dict(dict(context, action_execution_id=action_ex_id), cancel_event=self._stopping)
            LOG.debug("Running action %s [action_ex_id=%s]", action_name, action_ex_id)
            result = runner.run_action(action_name, action_input, ctx, timeout=timeout)
            if result is not None:  # None: asynchronous, completed through the API
                self._report(action_ex_id, result.to_dict())
        finally:
            with self._lock:
                self._running.discard(action_ex_id)

    def _report(self, action_ex_id, result):
        deadline = time.monotonic() + self._conf.report_retry_for
        delay = 0.1
        while not self._stopping.is_set():
            try:
                self._engine.on_action_complete(action_ex_id, result)
                return
            except oslo_messaging.MessagingTimeout:
                LOG.warning("No engine accepted the result of action execution [id=%s] yet; sending it again", action_ex_id)
            except exc.NotFoundError:
                LOG.info("Action execution [id=%s] no longer exists; result dropped", action_ex_id)
                return
            except Exception:  # noqa: BLE001 - transport hiccups: try again
                LOG.exception("Failed to report the result of action execution [id=%s]", action_ex_id)
            if time.monotonic() > deadline:
                LOG.error("Giving up reporting action execution [id=%s]; its heartbeat stops", action_ex_id)
                return
            self._stopping.wait(delay)
            delay = min(delay * 2, 5.0)

    def _heartbeats(self):
        while not self._stopping.wait(self._conf.heartbeat_interval):
            with self._lock:
                ids = list(self._running)
            if not ids:
                continue
            try:
                self._db.run(db_ex.heartbeat, self.executor_id, ids, self._clock.now())
            except Exception:  # noqa: BLE001 - try again next beat
                LOG.exception("Heartbeat failed")

    def stop(self):
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
