"""The pure navigator of direct workflows.

Given the workflow spec, a completed task and a way to evaluate conditions,
it decides what happens next; it imports no DB, RPC or config. The engine
applies the commands it returns.
"""

from mistral.engine import states

# Command kinds returned by ``next_commands``.
RUN_TASK = "run_task"
FAIL = "fail"
SUCCEED = "succeed"
PAUSE = "pause"
NOOP = "noop"

ENGINE_COMMANDS = {"fail": FAIL, "succeed": SUCCEED, "pause": PAUSE, "noop": NOOP}


class Command:
    def __init__(self, kind, name=None, params=None, clause=None):
        self.kind = kind
        self.name = name
        self.params = params or {}
        self.clause = clause

    def __repr__(self):
        return "Command(%s, %s)" % (self.kind, self.name)

    def __eq__(self, other):
        return (self.kind, self.name, self.params) == (other.kind, other.name, other.params)


def clauses_for(task_spec, state):
    """The transition clauses that apply to a task that ended in ``state``."""
    if state == states.SUCCESS:
        return [("on-success", task_spec.on_success), ("on-complete", task_spec.on_complete)]
    if state == states.ERROR:
        return [("on-error", task_spec.on_error), ("on-complete", task_spec.on_complete)]
    if state == states.SKIPPED:
        # A skipped task follows on-skip, and on-success as if it had succeeded.
        return [("on-skip", task_spec.on_skip), ("on-success", task_spec.on_success)]
    return []


def next_commands(wf_spec, task_name, state, evaluate):
    """Commands to apply after ``task_name`` ended in ``state``.

    :param evaluate: callable(condition_expression) -> value; truthiness
        decides whether the transition fires.
    :returns: list of Command, in definition order.
    """
    task_spec = wf_spec.tasks[task_name]
    commands = []
    for clause, transitions in clauses_for(task_spec, state):
        for transition in transitions:
            if transition.condition is not None and not evaluate(transition.condition):
                continue
            if wf_spec.is_engine_command(transition.name):
                commands.append(Command(ENGINE_COMMANDS[transition.name], transition.name, transition.params, clause))
            else:
                commands.append(Command(RUN_TASK, transition.name, transition.params, clause))
    return commands


def error_handled(commands):
    """A failed task is handled when any of its error transitions fired."""
    return any(c.clause in ("on-error", "on-complete") for c in commands)


def join_status(wf_spec, task_name, arrived_names):
    """'run' when the join of ``task_name`` is satisfied by ``arrived_names``.

    :param arrived_names: names of inbound tasks that transitioned to it.
    """
    join = wf_spec.tasks[task_name].join
    inbound = wf_spec.inbound_task_names(task_name)
    arrived = set(arrived_names) & set(inbound)
    if join == "all":
        needed = len(inbound)
    elif join == "one":
        needed = 1
    else:
        needed = int(join)
    return "run" if len(arrived) >= min(needed, len(inbound)) else "wait"


def workflow_outcome(task_states, unhandled_errors):
    """SUCCESS, ERROR or CANCELLED for a workflow whose tasks are all done.

    :param task_states: states of all its task executions.
    :param unhandled_errors: number of failed tasks no transition handled.
    """
    if unhandled_errors:
        return states.ERROR
    if any(s == states.CANCELLED for s in task_states):
        return states.CANCELLED
    return states.SUCCESS
