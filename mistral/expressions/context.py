"""The protocol through which expressions reach engine data.

``env()``, ``execution()``, ``task()`` and ``tasks()`` in YAQL and Jinja need
data that only the engine has (the root execution's env, task executions in
the database). The expressions package stays pure: the engine passes an
object implementing :class:`FunctionsContext` to ``evaluate`` and
``evaluate_recursively``, and the expression functions delegate to it.

Error contract for implementations:

- raise a :class:`mistral.exceptions.MistralError` with a 4xx ``code`` (for
  example ``ExpressionEvaluationError`` or ``NotFoundError``) for a mistake in
  the user's expression: it becomes an ``ExpressionEvaluationError`` naming
  the expression;
- any other exception (a database error, a deadlock, an engine bug) is not
  the expression's fault and propagates out of ``evaluate`` unchanged, so
  the caller can retry or fail loudly.

Every value returned must be made of JSON types (dict, list, str, int,
float, bool, None); datetimes as ``YYYY-MM-DD HH:MM:SS`` strings.
"""

from mistral import exceptions as exc

# Keys of the dict that ``task(name)`` and each item of ``tasks()`` return
# (Mistral's user model of a task execution). ``spec`` may be omitted.
# ``result`` is the task's result (a list for with-items tasks), ``published``
# its published variables (a dict), ``type`` is "ACTION" or "WORKFLOW".
TASK_FIELDS = (
    "id",
    "name",
    "spec",
    "state",
    "state_info",
    "result",
    "published",
    "type",
    "workflow_execution_id",
    "created_at",
    "updated_at",
)

# Keys of the dict that ``execution()`` returns (Mistral's shape); ``params``
# holds ``env`` only on the root execution.
EXECUTION_FIELDS = (
    "id",
    "name",
    "spec",
    "input",
    "params",
    "created_at",
    "updated_at",
)


class FunctionsContext:
    """Engine data seen by expression functions; subclass it in the engine.

    The base class is what expressions see outside any execution (for
    example when the API evaluates an env update): an empty env and
    execution, and no tasks.
    """

    def env(self):
        """Return the root execution's env (a dict; {} when there is none)."""
        return {}

    def execution(self):
        """Return the current workflow execution (keys: EXECUTION_FIELDS)."""
        return {}

    def task(self, name=None):
        """Return a task execution as a dict (keys: TASK_FIELDS).

        :param name: the task's name; None means the current task. When a
            task ran several times (a cycle), the latest one. None is
            returned when no task of that name has run.
        """
        raise exc.ExpressionEvaluationError("task() is not available here")

    def tasks(
        self, workflow_execution_id=None, recursive=False, state=None, flat=False
    ):
        """Return task executions as a list of dicts (keys: TASK_FIELDS).

        :param workflow_execution_id: only tasks of this execution (None:
            all executions the caller may see).
        :param recursive: also tasks of sub-workflows, at any depth.
        :param state: only tasks in this state.
        :param flat: leave out workflow tasks whose sub-workflow is in the
            same state as the task (keep only "leaf" tasks).
        """
        raise exc.ExpressionEvaluationError("tasks() is not available here")


# What ``ctx=None`` means: the base implementation (stateless, shared).
DEFAULT = FunctionsContext()
