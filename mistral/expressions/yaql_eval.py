"""YAQL: one engine with the original's options, parsed expressions cached.

The engine and the root context (standard library plus Mistral's functions)
are built once, on first use, and never changed afterwards; each evaluation
runs in a fresh child context holding the data (``$``) and the engine's
FunctionsContext. Parsing goes through one lock because yaql's PLY lexer and
parser keep their state on shared objects; evaluation needs no lock.
"""

import collections.abc  # noqa: F401  (yaql 3.2 uses it without importing it)
import functools
import threading

import yaql
from yaql.language import factory
from yaql.language import utils as yaql_utils

from mistral import exceptions as exc
from mistral.expressions import functions, values

# The original's defaults: "=>" for keyword arguments (dict(a => 1)), no
# delegates, no iterator or memory limits, frozen input and plain output.
KEYWORD_OPERATOR = "=>"
ALLOW_DELEGATES = False
ENGINE_OPTIONS = {
    "yaql.limitIterators": -1,
    "yaql.memoryQuota": -1,
    "yaql.convertTuplesToLists": True,
    "yaql.convertSetsToLists": True,
    "yaql.iterableDicts": False,
    "yaql.convertInputData": True,
    "yaql.convertOutputData": True,
}
PARSE_CACHE_SIZE = 10000

# Not a valid YAQL variable name, so expressions cannot read the object.
_CTX_KEY = "$mistral functions context"

_init_lock = threading.Lock()
_parse_lock = threading.Lock()
_engine = None
_root_context = None


def _get_engine():
    global _engine
    if _engine is None:
        with _init_lock:
            if _engine is None:
                _engine = factory.YaqlFactory(
                    keyword_operator=KEYWORD_OPERATOR,
                    allow_delegates=ALLOW_DELEGATES,
                ).create(options=ENGINE_OPTIONS)
    return _engine


def _get_root_context():
    global _root_context
    if _root_context is None:
        with _init_lock:
            if _root_context is None:
                context = yaql.create_context(delegates=ALLOW_DELEGATES)
                _register_functions(context)
                _root_context = context
    return _root_context


@functools.lru_cache(maxsize=PARSE_CACHE_SIZE)
def parse(body):
    """Return the parsed expression ``body`` (stripped), cached.

    :raises: a yaql exception on a syntax error (never cached).
    """
    engine = _get_engine()
    with _parse_lock:
        return engine(body)


def validate(body):
    """Syntax-check one expression (the text between ``<%`` and ``%>``).

    :raises ExpressionValidationError: naming the expression and the error.
    """
    body = body.strip()
    try:
        parse(body)
    except Exception as e:  # noqa: BLE001 - no raw yaql/jinja error escapes
        raise exc.ExpressionValidationError(
            values.error_message("Invalid YAQL expression", body, e)
        ) from None


def convert_input(data_context):
    """Return the frozen form of the data context that ``$`` refers to."""
    return yaql_utils.convert_input_data(data_context)


def evaluate(body, frozen_data, ctx):
    """Evaluate one expression and return its value as plain JSON types.

    :param body: the text between ``<%`` and ``%>``.
    :param frozen_data: the data context, as ``convert_input`` returns it.
    :param ctx: the FunctionsContext for env(), task(), ...
    :raises ExpressionEvaluationError: naming the expression and the error;
        an engine error raised by ``ctx`` propagates unchanged.
    """
    body = body.strip()
    try:
        statement = parse(body)
        context = _get_root_context().create_child_context()
        context["$"] = frozen_data
        context[_CTX_KEY] = ctx
        return values.to_plain(statement.evaluate(context=context))
    except functions.PassThrough as e:
        raise e.error from None
    except Exception as e:  # noqa: BLE001 - no raw yaql/jinja error escapes
        raise exc.ExpressionEvaluationError(
            values.error_message("Can not evaluate YAQL expression", body, e)
        ) from None


# -- Mistral's functions, adapted to YAQL ------------------------------------
# YAQL injects the context into a parameter named "context". Values handed
# back to YAQL are frozen like its input, so that distinct(), set
# operations and dict keys work on them.


def _yaql_env(context):
    return convert_input(functions.env(context[_CTX_KEY]))


def _yaql_execution(context):
    return convert_input(functions.execution(context[_CTX_KEY]))


def _yaql_task(context, name=None):
    return convert_input(functions.task(context[_CTX_KEY], name))


# With yaql's camelCase convention the first argument is named
# workflowExecutionId (tasks(workflowExecutionId => ...)), as in the original.
def _yaql_tasks(
    context, workflow_execution_id=None, recursive=False, state=None, flat=False
):
    return convert_input(
        functions.tasks(
            context[_CTX_KEY], workflow_execution_id, recursive, state, flat
        )
    )


def _yaql_json_parse(data):
    return convert_input(functions.json_parse(data))


def _yaql_yaml_parse(data):
    return convert_input(functions.yaml_parse(data))


def _register_functions(context):
    for name, func in (
        ("env", _yaql_env),
        ("execution", _yaql_execution),
        ("task", _yaql_task),
        ("tasks", _yaql_tasks),
        ("json_parse", _yaql_json_parse),
        ("yaml_parse", _yaql_yaml_parse),
        ("json_dump", functions.json_dump),
        ("yaml_dump", functions.yaml_dump),
        ("uuid", functions.uuid),
    ):
        context.register_function(func, name=name)
