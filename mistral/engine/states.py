"""States and the allowed transitions of workflows, tasks and actions, as data.

Each table maps a state to the states it may move to, with a one-line reason.
``check_transition`` has three outcomes: apply, ignore (same state: a no-op),
refuse (InvalidStateTransition, 400 naming both states).
"""

from mistral import exceptions as exc

IDLE = "IDLE"
WAITING = "WAITING"
RUNNING = "RUNNING"
DELAYED = "DELAYED"
PAUSED = "PAUSED"
SUCCESS = "SUCCESS"
ERROR = "ERROR"
CANCELLED = "CANCELLED"
SKIPPED = "SKIPPED"

WORKFLOW_STATES = (IDLE, RUNNING, PAUSED, SUCCESS, ERROR, CANCELLED)
TASK_STATES = (IDLE, WAITING, RUNNING, DELAYED, PAUSED, SUCCESS, ERROR, CANCELLED, SKIPPED)
ACTION_STATES = (IDLE, RUNNING, PAUSED, SUCCESS, ERROR, CANCELLED)

COMPLETED = frozenset((SUCCESS, ERROR, CANCELLED, SKIPPED))

WORKFLOW_TRANSITIONS = {
    IDLE: {RUNNING: "started", PAUSED: "paused before start", ERROR: "failed to start", CANCELLED: "cancelled"},
    RUNNING: {PAUSED: "paused", SUCCESS: "all tasks done", ERROR: "a task failed", CANCELLED: "cancelled"},
    PAUSED: {RUNNING: "resumed", ERROR: "failed while paused", CANCELLED: "cancelled while paused"},
    SUCCESS: {},
    ERROR: {RUNNING: "a task is rerun"},
    CANCELLED: {RUNNING: "a task is rerun"},
}

TASK_TRANSITIONS = {
    IDLE: {RUNNING: "started", WAITING: "waits for a join", DELAYED: "wait-before", ERROR: "failed to start", CANCELLED: "cancelled", SKIPPED: "skipped"},
    WAITING: {RUNNING: "join satisfied", ERROR: "join cannot be satisfied", CANCELLED: "cancelled"},
    DELAYED: {RUNNING: "delay elapsed", ERROR: "failed", CANCELLED: "cancelled"},
    RUNNING: {DELAYED: "retry or wait-after", PAUSED: "paused", SUCCESS: "done", ERROR: "failed", CANCELLED: "cancelled"},
    PAUSED: {RUNNING: "resumed", ERROR: "failed", CANCELLED: "cancelled"},
    SUCCESS: {},
    ERROR: {RUNNING: "rerun", SKIPPED: "skipped by the operator", WAITING: "a failed join is re-opened by a rerun"},
    CANCELLED: {RUNNING: "rerun"},
    SKIPPED: {},
}

ACTION_TRANSITIONS = {
    IDLE: {RUNNING: "dispatched", CANCELLED: "cancelled", ERROR: "failed to dispatch"},
    RUNNING: {SUCCESS: "completed", ERROR: "failed", CANCELLED: "cancelled", PAUSED: "paused"},
    PAUSED: {RUNNING: "resumed", SUCCESS: "completed", ERROR: "failed", CANCELLED: "cancelled"},
    SUCCESS: {},
    ERROR: {},
    CANCELLED: {},
}

TABLES = {"workflow": WORKFLOW_TRANSITIONS, "task": TASK_TRANSITIONS, "action": ACTION_TRANSITIONS}

APPLY = "apply"
IGNORE = "ignore"


def is_completed(state):
    return state in COMPLETED


def is_allowed(kind, old, new):
    return old == new or new in TABLES[kind].get(old, {})


def check_transition(kind, old, new):
    """APPLY or IGNORE, or raise InvalidStateTransition (400) naming both states."""
    table = TABLES[kind]
    if new not in table:
        raise exc.InvalidStateTransition("Unknown %s state '%s'" % (kind, new))
    if old == new:
        return IGNORE
    if new in table.get(old, {}):
        return APPLY
    raise exc.InvalidStateTransition("Can not change state of %s from %s to %s" % (kind, old, new))
