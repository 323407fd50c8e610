"""Jinja2: a sandboxed environment with StrictUndefined, templates cached.

``_`` is the data context. A string that is exactly one ``{{ expr }}`` is
compiled as an expression and returns its native value; any other string is
rendered as a template, dicts and lists inside it written as JSON. Both
forms are compiled once per distinct string (LRU cache); a compiled
template is immutable and safe to share between threads.

Templates run in Jinja's sandbox (no private attributes, no unsafe calls).
The sandbox still lets a template call ``append`` or ``update`` on lists and
dicts (the original allows it, and templates use it to accumulate in
loops), so templates get their own copy of the data context and of what
env(), task() ... return: the engine's data, maybe cached and shared
between tasks, is never modified.
"""

import collections.abc
import functools

import jinja2
from jinja2 import sandbox

from mistral import exceptions as exc
from mistral.expressions import functions, values

CACHE_SIZE = 10000


class _Environment(sandbox.SandboxedEnvironment):
    """The sandbox, reading dict keys before dict methods.

    ``_.items`` or ``_.keys`` must give the data under that key, not the
    bound method of dict (the original's surprise); methods stay reachable
    when no such key exists (``_.x.keys()``).
    """

    def getattr(self, obj, attribute):
        if isinstance(obj, collections.abc.Mapping) and isinstance(attribute, str):
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


_ENV = _Environment(
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
    finalize=values.to_text,
)
_ENV.globals.update(functions.PURE)
# Also as filters: {{ _.x | json_dump }}, {{ _.doc | yaml_parse }}.
_ENV.filters.update(
    {name: func for name, func in functions.PURE.items() if name != "uuid"}
)


def variables(data_context, ctx):
    """Return the render variables: ``_`` and the ctx-bound functions.

    Made once per data context (the copy costs O(size)) and reused for
    every string evaluated against it.
    """
    return {
        "_": values.copy_data(data_context),
        "env": _bind(functions.env, ctx),
        "execution": _bind(functions.execution, ctx),
        "task": _bind(functions.task, ctx),
        "tasks": _bind(functions.tasks, ctx),
    }


def _bind(func, ctx):
    def call(*args, **kwargs):
        return values.copy_data(func(ctx, *args, **kwargs))

    return call


def _single_expression(stripped):
    """Return the source of ``expr`` if ``stripped`` is one ``{{ expr }}``.

    The lexer, not a regex, decides: it knows that ``}}`` inside a string
    or a dict literal does not end the expression.
    """
    tokens = [
        (kind, value) for _, kind, value in _ENV.lex(stripped) if kind != "whitespace"
    ]
    if (
        len(tokens) < 2
        or tokens[0][0] != "variable_begin"
        or tokens[-1][0] != "variable_end"
        or sum(1 for kind, _ in tokens if kind == "variable_begin") != 1
    ):
        return None
    return stripped[len(tokens[0][1]) : len(stripped) - len(tokens[-1][1])]


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile(text):
    """Return ``(is_native, callable)`` for ``text``, cached."""
    inner = _single_expression(text.strip())
    if inner is not None:
        return True, _ENV.compile_expression(inner, undefined_to_none=False)
    return False, _ENV.from_string(text)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _parse(text):
    _ENV.parse(text)


def validate(text):
    """Syntax-check every ``{{ }}`` and ``{% %}`` in ``text``.

    :raises ExpressionValidationError: naming the string and the error.
    """
    try:
        _parse(text)
    except jinja2.TemplateError as e:
        raise exc.ExpressionValidationError(
            values.error_message("Invalid Jinja expression", text.strip(), e)
        ) from None


def evaluate(text, render_variables):
    """Evaluate ``text``: a native value if it is one ``{{ expr }}``.

    :param render_variables: as ``variables`` returns them.
    :raises ExpressionEvaluationError: naming the string and the error; an
        engine error raised by the FunctionsContext propagates unchanged.
    """
    try:
        is_native, compiled = _compile(text)
        if is_native:
            return values.to_plain(compiled(**render_variables))
        return compiled.render(**render_variables)
    except functions.PassThrough as e:
        raise e.error from None
    except Exception as e:  # noqa: BLE001 - no raw yaql/jinja error escapes
        raise exc.ExpressionEvaluationError(
            values.error_message("Can not evaluate Jinja expression", text.strip(), e)
        ) from None
