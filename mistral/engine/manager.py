"""The engine's RPC endpoint: each method runs one unit of work in one
transaction, then performs its side effects (casts to executors) after the
commit."""

import datetime
import logging
import time

import oslo_messaging

from mistral import exceptions as exc
from mistral.actions.base import Result
from mistral.db import executions as db_ex
from mistral.engine import actions, states, workflows
from mistral.engine import clock as engine_clock
from mistral.engine.unit import Unit

LOG = logging.getLogger(__name__)

# Inline action completions handled in one transaction before the rest is
# handed to a new one (keeps transactions short on long no-op chains).
INLINE_BUDGET = 50

# States in which the env of an execution may be updated on its own.
ENV_UPDATE_STATES = (states.IDLE, states.PAUSED, states.ERROR)


def row_dict(obj):
    """Column values of a row as JSON-able plain data (no deferred spec)."""
    result = {}
    for attr in obj.__mapper__.column_attrs:
        if attr.key == "spec":
            continue
        value = getattr(obj, attr.key)
        if isinstance(value, datetime.datetime):
            value = value.strftime("%Y-%m-%d %H:%M:%S")
        result[attr.key] = value
    return result


class EngineManager:
    target = oslo_messaging.Target(version="1.0")

    def __init__(self, db, runtime, executor_client, self_client=None, on_jobs=None):
        self.db = db
        self.runtime = runtime
        self.executor = executor_client
        self.self_client = self_client
        self.on_jobs = on_jobs

    # -- the unit-of-work runner ------------------------------------------------

    def run(self, fn, *args, inline_budget=INLINE_BUDGET, **kwargs):
        """Run ``fn(unit, *args)`` in a transaction; returns its (serialized) value.

        :param inline_budget: how many inline action completions to process
            in this transaction; the rest are handed to any engine by a cast
            (API-facing calls use 0 so they answer at once).
        """

        def tx(session):
            unit = Unit(session, self.runtime)
            value = fn(unit, *args, **kwargs)
            budget = inline_budget
            while unit.inline and budget:
                action_ex_id, result = unit.inline.popleft()
                actions.complete(unit, action_ex_id, result)
                budget -= 1
            out = row_dict(value) if hasattr(value, "__mapper__") else value
            return out, unit.dispatch, list(unit.inline), unit.jobs_scheduled

        out, dispatch, leftover, jobs = self.db.run(tx)
        self._after_commit(dispatch, leftover, jobs)
        return out

    def _after_commit(self, dispatch, leftover, jobs):
        for item in dispatch:
            try:
                self.executor.run_action(
                    item["action_ex_id"], item["action_name"], item["action_input"], item["safe_rerun"], item["timeout"], item["context"]
                )
            except Exception:  # noqa: BLE001 - recovery re-dispatches from the DB
                LOG.exception("Failed to dispatch action execution [id=%s]", item["action_ex_id"])
        for action_ex_id, result in leftover:
            self.self_client.report_action_result(action_ex_id, result.to_dict())
        if jobs and self.on_jobs is not None:
            self.on_jobs()

    # -- RPC methods --------------------------------------------------------------

    def ping(self, ctxt):
        return "pong"

    def start_workflow(self, ctxt, wf_identifier, namespace, wf_input, description, params, ex_id=None):
        def _start(unit):
            if ex_id:
                existing = db_ex.find_workflow_execution(unit.session, ex_id)
                if existing is not None:
                    return existing
            definition = workflows.find_definition(unit, wf_identifier, namespace=namespace or "")
            return workflows.start(unit, definition, wf_input or {}, description or "", params or {}, ex_id=ex_id)

        return self.run(_start, inline_budget=0)

    def _with_execution(self, ex_id, fn):
        def _op(unit):
            wf_ex = db_ex.get_workflow_execution(unit.session, ex_id)
            unit.lock(wf_ex.root_execution_id or wf_ex.id, wf_ex)
            fn(unit, wf_ex)
            return wf_ex

        return self.run(_op, inline_budget=0)

    def pause_workflow(self, ctxt, ex_id):
        def _pause(unit, wf_ex):
            if wf_ex.state == states.PAUSED:
                return
            states.check_transition("workflow", wf_ex.state, states.PAUSED)
            workflows.pause(unit, wf_ex)

        return self._with_execution(ex_id, _pause)

    def resume_workflow(self, ctxt, ex_id, env=None):
        def _resume(unit, wf_ex):
            if wf_ex.state not in (states.PAUSED, states.IDLE):
                raise exc.StateConflictError(
                    "Execution [id=%s] is %s, not PAUSED: only a paused execution can be resumed%s"
                    % (wf_ex.id, wf_ex.state, _advice(wf_ex.state))
                )
            for ancestor in workflows.ancestors(unit, wf_ex)[1:]:
                if ancestor.state == states.PAUSED:
                    raise exc.StateConflictError(
                        "Execution [id=%s] belongs to paused execution [id=%s]: resume that one" % (wf_ex.id, ancestor.id)
                    )
            if env is not None:
                workflows.merge_env(unit, workflows.ancestors(unit, wf_ex)[-1], env, (states.PAUSED, states.IDLE, states.RUNNING))
            workflows.resume(unit, wf_ex)

        return self._with_execution(ex_id, _resume)

    def update_env(self, ctxt, ex_id, env):
        def _update(unit, wf_ex):
            root = workflows.ancestors(unit, wf_ex)[-1]
            if root.state not in ENV_UPDATE_STATES:
                raise exc.NotAllowedError(
                    "Can not update env of execution [id=%s] in state %s: env can be updated while IDLE, PAUSED "
                    "or ERROR (to change env of a RUNNING execution, rerun a failed task with env)" % (root.id, root.state)
                )
            workflows.merge_env(unit, root, env, ENV_UPDATE_STATES)

        return self._with_execution(ex_id, _update)

    def stop_workflow(self, ctxt, ex_id, state, message=None):
        def _stop(unit, wf_ex):
            if wf_ex.state == state:
                return
            states.check_transition("workflow", wf_ex.state, state)
            workflows.stop(unit, wf_ex, state, message)

        return self._with_execution(ex_id, _stop)

    def rerun_workflow(self, ctxt, task_ex_id, reset=True, skip=False, env=None):
        def _rerun(unit):
            task_ex = db_ex.get_task_execution(unit.session, task_ex_id)
            unit.lock(task_ex.root_execution_id or task_ex.workflow_execution_id, task_ex)
            return workflows.rerun(unit, task_ex, reset=reset, skip=skip, env=env)

        return self.run(_rerun, inline_budget=0)

    def start_action(self, ctxt, action_name, action_input, description=None, params=None):
        """Run an action outside any workflow; with ``run_sync`` (or
        ``save_result: false``) wait for its result before answering."""
        params = params or {}
        row = self.run(lambda unit: actions.start_adhoc(unit, action_name, action_input or {}, description), inline_budget=0)
        if row["state"] != states.RUNNING or not row["is_sync"]:
            return row
        if not (params.get("run_sync") or params.get("save_result") is False):
            return row
        deadline = time.monotonic() + self.runtime.conf.engine.run_sync_timeout
        action_ex_id = row["id"]
        while time.monotonic() < deadline:
            row = self.run(lambda unit: db_ex.get_action_execution(unit.session, action_ex_id))
            if row["state"] != states.RUNNING:
                return row
            time.sleep(0.02)
        raise exc.StateConflictError("Action execution [id=%s] is still running after %ss" % (row["id"], self.runtime.conf.engine.run_sync_timeout))

    def on_action_complete(self, ctxt, action_ex_id, result):
        return self.run(lambda unit: actions.complete(unit, action_ex_id, Result.from_dict(result)))

    # -- recovery -------------------------------------------------------------------

    def recover(self, all_in_one):
        """At start: handle actions whose runner died with the previous process.

        Only when the executor runs in this process with an in-process
        transport (the embedded default) is every RUNNING synchronous action
        certainly orphaned; separate daemons rely on :meth:`sweep`.
        """
        if not all_in_one:
            return 0
        return self.run(lambda unit: self._recover_actions(unit, db_ex.running_actions(unit.session), release=True))

    def sweep(self):
        """Re-dispatch actions nobody claimed (a lost cast) and recover those
        whose executor stopped sending heartbeats. Any engine may sweep: every
        change is a compare-and-swap."""
        conf = self.runtime.conf.engine
        # Liveness is judged in real time (heartbeats and created_at are
        # real), never on the movable scheduling clock.
        now = engine_clock.Clock().now()
        unclaimed_before = now - datetime.timedelta(seconds=conf.dispatch_timeout)
        silent_before = now - datetime.timedelta(seconds=conf.executor_lost_timeout)

        def _sweep(unit):
            count = 0
            for action_ex in db_ex.unclaimed_actions(unit.session, unclaimed_before):
                if actions.redispatch(unit, action_ex):
                    count += 1
            count += self._recover_actions(unit, db_ex.silent_actions(unit.session, silent_before), release=True)
            return count

        return self.run(_sweep)

    def _recover_actions(self, unit, lost, release):
        count = 0
        for action_ex in lost:
            if actions.runs_inline(action_ex.name, action_ex.input):
                if db_ex.mark_dispatched(unit.session, action_ex, engine_clock.Clock().now(), release=release):
                    unit.inline.append((action_ex.id, Result(data=actions.INLINE[action_ex.name](action_ex.input or {}))))
            elif (action_ex.runtime_context or {}).get("safe_rerun"):
                actions.redispatch(unit, action_ex, release=release)
            else:
                actions.complete(
                    unit, action_ex.id, Result(error="Action execution was lost: the executor running it stopped (not safe-rerun)")
                )
            count += 1
        return count


def _advice(state):
    if state == states.RUNNING:
        return " (it is already running)"
    if state == states.ERROR:
        return " (rerun a failed task with PUT /v2/tasks/<id> to continue it)"
    if state in (states.SUCCESS, states.CANCELLED):
        return " (it has finished)"
    return ""
