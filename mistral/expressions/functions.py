"""Functions available in both expression languages.

``env()``, ``execution()``, ``task()`` and ``tasks()`` delegate to the
engine's :class:`~mistral.expressions.context.FunctionsContext`; the others
are pure. The YAQL and Jinja modules only adapt these to their calling
conventions, so both languages behave the same.
"""

import json
import uuid as uuid_lib

import yaml

from mistral import exceptions as exc
from mistral.expressions import values


class PassThrough(Exception):
    """Carries an engine error that must leave ``evaluate`` unchanged.

    Raised inside an expression, it crosses YAQL and Jinja untouched; the
    evaluators unwrap it and raise ``error`` instead of an
    ExpressionEvaluationError (a DB deadlock is not the user's mistake).
    """

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _delegate(method, *args):
    try:
        return method(*args)
    except exc.MistralError as e:
        if e.code < 500:
            raise
        raise PassThrough(e) from e
    except Exception as e:
        raise PassThrough(e) from e


def env(ctx):
    """The root execution's env (a dict)."""
    result = _delegate(ctx.env)
    return {} if result is None else result


def execution(ctx):
    """The current workflow execution (a dict)."""
    result = _delegate(ctx.execution)
    return {} if result is None else result


def task(ctx, name=None):
    """A task execution by name (None: the current task), or None."""
    return _delegate(ctx.task, name)


def tasks(ctx, workflow_execution_id=None, recursive=False, state=None, flat=False):
    """Task executions filtered as ``FunctionsContext.tasks`` says."""
    result = _delegate(ctx.tasks, workflow_execution_id, recursive, state, flat)
    return [] if result is None else result


def json_parse(data):
    """Parse a JSON document."""
    return json.loads(data)


def json_dump(data):
    """Serialize to JSON, indented by 4 as the original does."""
    return json.dumps(values.to_plain(data), indent=4)


def yaml_parse(data):
    """Parse a YAML document (safe loader: plain types only)."""
    return yaml.safe_load(data)


def yaml_dump(data):
    """Serialize to block-style YAML, as the original does."""
    return yaml.safe_dump(values.to_plain(data), default_flow_style=False)


def uuid():
    """A new random UUID as a string."""
    return str(uuid_lib.uuid4())


# Functions that take no engine data, by the name both languages use.
PURE = {
    "json_parse": json_parse,
    "json_dump": json_dump,
    "yaml_parse": yaml_parse,
    "yaml_dump": yaml_dump,
    "uuid": uuid,
}
