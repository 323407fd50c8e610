"""The executor's RPC endpoint: runs actions in a thread pool and reports
results to the engine."""

import concurrent.futures
import logging
import threading

import oslo_messaging

from mistral.actions import runner
from mistral.actions.base import ActionContext

LOG = logging.getLogger(__name__)


class ExecutorManager:
    target = oslo_messaging.Target(version="1.0")

    def __init__(self, engine_client, workers=16):
        self._engine = engine_client
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="action")
        self._stopping = threading.Event()

    def ping(self, ctxt):
        return "pong"

    def run_action(self, ctxt, action_ex_id, action_name, action_input, safe_rerun=False, timeout=None, context=None):
        self._pool.submit(self._run, action_ex_id, action_name, action_input, timeout, context or {})

    def _run(self, action_ex_id, action_name, action_input, timeout, context):
        ctx = ActionContext.from_dict(dict(context, action_execution_id=action_ex_id), cancel_event=self._stopping)
        LOG.debug("Running action %s [action_ex_id=%s]", action_name, action_ex_id)
        result = runner.run_action(action_name, action_input, ctx, timeout=timeout)
        if result is None:
            return  # an asynchronous action: its result comes through the API
        try:
            self._engine.report_action_result(action_ex_id, result.to_dict())
        except Exception:  # noqa: BLE001 - the engine's recovery finds the action
            LOG.exception("Failed to report the result of action execution [id=%s]", action_ex_id)

    def stop(self):
        self._stopping.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
