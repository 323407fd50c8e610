"""Persisted scheduled jobs: wait-before, retry delays, wait-after, timeouts.

Jobs live in the ``scheduled_jobs`` table, so a restarted engine picks them
up. Any engine may run a due job: it claims it with a compare-and-swap lease
first. Handlers are functions in a table keyed by job type (no dotted-path
callbacks). Time comes from the engine's clock, which tests can move.
"""

import datetime
import logging
import threading
import time
import uuid

from mistral.db import executions as db_ex
from mistral.db import jobs as db_jobs
from mistral.engine import states, tasks, workflows

LOG = logging.getLogger(__name__)

PAUSED_RECHECK_SECONDS = 1.0


def _load(unit, params):
    task_ex = db_ex.get_tasks_by_ids(unit.session, [params["task_ex_id"]]).get(params["task_ex_id"])
    if task_ex is None:
        return None, None
    unit.lock(task_ex.root_execution_id or task_ex.workflow_execution_id, task_ex)
    wf_ex = db_ex.get_workflow_execution(unit.session, task_ex.workflow_execution_id)
    return wf_ex, task_ex


def _held_by_pause(unit, wf_ex, job_type, params, key):
    if wf_ex.state == states.PAUSED:
        tasks.schedule_job(unit, job_type, PAUSED_RECHECK_SECONDS, params, key=key)
        return True
    return wf_ex.state != states.RUNNING


def _load_delayed(unit, params, job_type, key_prefix):
    """The DELAYED task a job is for, or (None, None) when there is nothing to do
    (gone, no longer delayed, or held by a pause: then the job comes back)."""
    wf_ex, task_ex = _load(unit, params)
    if task_ex is None or task_ex.state != states.DELAYED:
        return None, None
    if _held_by_pause(unit, wf_ex, job_type, params, "%s:%s" % (key_prefix, task_ex.id)):
        return None, None
    return wf_ex, task_ex


def _task_start(unit, params):
    """wait-before elapsed: run the task."""
    wf_ex, task_ex = _load_delayed(unit, params, "task.start", "start")
    if task_ex is not None:
        tasks.run_task(unit, wf_ex, task_ex)


def _task_retry(unit, params):
    wf_ex, task_ex = _load_delayed(unit, params, "task.retry", "retry")
    if task_ex is not None:
        tasks.run_task(unit, wf_ex, task_ex)


def _task_complete(unit, params):
    """wait-after elapsed: complete the task as it would have completed."""
    wf_ex, task_ex = _load_delayed(unit, params, "task.complete", "complete")
    if task_ex is None:
        return
    pending = (task_ex.runtime_context or {}).get("pending_completion") or {}
    db_ex.set_task_state(unit.session, task_ex, states.RUNNING, expected=states.DELAYED)
    tasks.finish_task(
        unit, wf_ex, task_ex, pending.get("state", states.SUCCESS), tasks.result_of(unit.session, task_ex), pending.get("state_info")
    )


def _task_timeout(unit, params):
    wf_ex, task_ex = _load(unit, params)
    if task_ex is None or task_ex.state not in (states.RUNNING, states.DELAYED):
        return
    for action_ex in db_ex.actions_of_task(unit.session, task_ex.id, states_in=[states.RUNNING]):
        db_ex.set_action_state(unit.session, action_ex, states.ERROR, expected=states.RUNNING, state_info="Task timed out")
    if task_ex.state == states.DELAYED:
        db_ex.set_task_state(unit.session, task_ex, states.RUNNING, expected=states.DELAYED)
    tasks.finish_task(unit, wf_ex, task_ex, states.ERROR, None, "Task '%s' timed out" % task_ex.name, policies=False)
    # Sub-workflows of the task stop too (after it: they must not complete it).
    for child in db_ex.sub_workflows_of_task(unit.session, task_ex.id):
        if not states.is_completed(child.state):
            workflows.stop(unit, child, states.ERROR, "Parent task '%s' timed out" % task_ex.name)


HANDLERS = {
    "task.start": _task_start,
    "task.retry": _task_retry,
    "task.complete": _task_complete,
    "task.timeout": _task_timeout,
}


class Scheduler:
    """Runs due jobs; ``run_due`` is callable directly (tests), ``start`` runs
    a polling thread."""

    def __init__(self, manager, clock, poll_interval=0.2, sweep_interval=5.0):
        self.manager = manager
        self.sweep_interval = sweep_interval
        self.clock = clock
        self.poll_interval = poll_interval
        self.owner = "scheduler-%s" % uuid.uuid4()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = None

    def wake(self):
        self._wake.set()

    def run_due(self):
        """Run every job due now; returns how many ran."""
        db = self.manager.db
        now = self.clock.now()
        ran = 0
        for job_id in db.run(db_jobs.due_ids, now, readonly=True):
            if not db.run(db_jobs.claim, job_id, self.owner, now):
                continue
            try:
                self.manager.run(self._run_job, job_id)
                ran += 1
            except Exception:  # noqa: BLE001 - the lease expires and another try follows
                LOG.exception("Scheduled job [id=%s] failed", job_id)
        return ran

    def _run_job(self, unit, job_id):
        job = db_jobs.take(unit.session, job_id, self.owner)
        if job is None:
            return None
        handler = HANDLERS.get(job.job_type)
        if handler is None:
            LOG.error("Unknown scheduled job type %s [id=%s]", job.job_type, job_id)
            return None
        handler(unit, job.params or {})
        return None

    def _loop(self):
        next_sweep = 0.0
        while not self._stop.is_set():
            try:
                self.run_due()
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + self.sweep_interval
                    self.manager.sweep()
            except Exception:  # noqa: BLE001 - keep the scheduler alive
                LOG.exception("Scheduler iteration failed")
            self._wake.wait(self._next_wait())
            self._wake.clear()

    def _next_wait(self):
        try:
            nxt = self.manager.db.run(db_jobs.next_run_after, readonly=True)
        except Exception:  # noqa: BLE001
            return self.poll_interval
        if nxt is None:
            return max(self.poll_interval, 1.0)
        delta = (nxt - self.clock.now()) / datetime.timedelta(seconds=1)
        return min(max(delta, 0.005), self.poll_interval * 5)

    def start(self):
        self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
