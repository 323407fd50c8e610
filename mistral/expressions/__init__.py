"""YAQL (``<% %>``) and Jinja2 (``{{ }}``, ``{% %}``) expressions.

Pure: no database, RPC or configuration. Engine data (env, execution,
tasks) is reached through a :class:`FunctionsContext` the caller passes as
``ctx``.

- ``evaluate("<% $.x %>", data)`` and ``evaluate("{{ _.x }}", data)`` return
  the native value when the whole string (stripped) is one expression;
- with other text around, each expression's value is written into the
  string (strings as they are, dicts and lists as JSON, other values with
  ``str()``) and the string is returned;
- a string without expressions, and any non-string, comes back unchanged.

One string may use one language only. Errors: ``ExpressionValidationError``
from ``validate`` (syntax), ``ExpressionEvaluationError`` from ``evaluate``
(anything failing at run time, syntax included), each naming the
expression. Exceptions from the FunctionsContext other than 4xx
MistralErrors (a DB error, say) propagate unchanged.
"""

import re

from mistral import exceptions as exc
from mistral.expressions import jinja_eval, values, yaql_eval
from mistral.expressions.context import DEFAULT as _DEFAULT_CTX
from mistral.expressions.context import FunctionsContext

__all__ = [
    "FunctionsContext",
    "evaluate",
    "evaluate_recursively",
    "is_expression",
    "validate",
    "validate_recursively",
]

# Non-greedy, and across lines (YAML block scalars): "<% a %> <% b %>" is
# two expressions.
_YAQL_RE = re.compile(r"<%(.*?)%>", re.DOTALL)
_JINJA_RE = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


def _is_yaql(s):
    return "<%" in s and _YAQL_RE.search(s) is not None


def _is_jinja(s):
    return "{" in s and _JINJA_RE.search(s) is not None


def is_expression(s):
    """Return True if ``s`` is a string holding a YAQL or Jinja expression.

    Jinja blocks (``{% if %}``) count too: such a string is a template.
    """
    return isinstance(s, str) and (_is_yaql(s) or _is_jinja(s))


def _mixing_message(s):
    return (
        "YAQL and Jinja expressions can not be mixed in one string "
        f"[expression={s.strip()}]"
    )


def validate(expression):
    """Syntax-check every expression in a string; non-strings are ignored.

    Parsed expressions are cached, so validating a definition again, or
    many tasks sharing expressions, costs almost nothing.

    :raises ExpressionValidationError: (400) quoting the expression and the
        parser's complaint, or when a string mixes the two languages.
    """
    if not isinstance(expression, str):
        return
    is_yaql = _is_yaql(expression)
    is_jinja = _is_jinja(expression)
    if is_yaql and is_jinja:
        raise exc.ExpressionValidationError(_mixing_message(expression))
    if is_yaql:
        for match in _YAQL_RE.finditer(expression):
            yaql_eval.validate(match.group(1))
    elif is_jinja:
        jinja_eval.validate(expression)


def validate_recursively(data):
    """``validate`` every string in dicts (keys and values) and lists."""
    if isinstance(data, str):
        validate(data)
    elif isinstance(data, dict):
        for key, value in data.items():
            validate_recursively(key)
            validate_recursively(value)
    elif isinstance(data, (list, tuple)):
        for item in data:
            validate_recursively(item)


class _Scope:
    """One data context and ctx, with each language's view built once.

    ``evaluate_recursively`` evaluates many strings against one context:
    YAQL's frozen copy of the data and Jinja's variables are made on first
    use and shared.
    """

    _UNSET = object()

    def __init__(self, data_context, ctx):
        self.data_context = data_context
        self.ctx = _DEFAULT_CTX if ctx is None else ctx
        self._frozen = self._UNSET
        self._jinja_vars = None

    def frozen_data(self):
        if self._frozen is self._UNSET:
            self._frozen = yaql_eval.convert_input(self.data_context)
        return self._frozen

    def jinja_vars(self):
        if self._jinja_vars is None:
            self._jinja_vars = jinja_eval.variables(self.data_context, self.ctx)
        return self._jinja_vars


_NO_DATA = None


def _yaql_data(expression, scope):
    """YAQL's frozen data context, skipped for expressions that never read
    ``$`` (such as ``task().result``): freezing a big context costs O(size)."""
    global _NO_DATA
    if "$" in expression:
        return scope.frozen_data()
    if _NO_DATA is None:
        _NO_DATA = yaql_eval.convert_input({})
    return _NO_DATA


def _evaluate_string(s, scope):
    is_yaql = _is_yaql(s)
    is_jinja = _is_jinja(s)
    if is_yaql and is_jinja:
        raise exc.ExpressionEvaluationError(_mixing_message(s))
    if is_jinja:
        return jinja_eval.evaluate(s, scope.jinja_vars())
    if not is_yaql:
        return s

    stripped = s.strip()
    whole = _YAQL_RE.fullmatch(stripped)
    if whole is not None and "%>" not in whole.group(1):
        return yaql_eval.evaluate(whole.group(1), _yaql_data(whole.group(1), scope), scope.ctx)

    def substitute(match):
        value = yaql_eval.evaluate(match.group(1), _yaql_data(match.group(1), scope), scope.ctx)
        return values.to_text(value)

    return _YAQL_RE.sub(substitute, s)


def evaluate(expression, data_context, ctx=None):
    """Evaluate one string against ``data_context``.

    :param expression: the string; anything else is returned unchanged.
    :param data_context: what ``$`` (YAQL) and ``_`` (Jinja) refer to.
    :param ctx: a FunctionsContext for env(), execution(), task(), tasks();
        None gives an empty env and no tasks.
    :returns: the native value (plain JSON types, never aliasing
        ``data_context``) for a string that is one expression, else a str.
    :raises ExpressionEvaluationError: (400) naming the expression.
    """
    if not isinstance(expression, str):
        return expression
    return _evaluate_string(expression, _Scope(data_context, ctx))


def evaluate_recursively(data, data_context, ctx=None):
    """Return a copy of ``data`` with every string in it evaluated.

    Walks dicts (values, and keys that hold expressions), lists and tuples
    (returned as lists); other values are kept. All strings share one
    scope, so YAQL's frozen copy of ``data_context`` is made once.

    :raises ExpressionEvaluationError: (400) naming the failing expression,
        also when an evaluated key is not a string, int, float, bool or
        None, or collides with another key.
    """
    return _walk(data, _Scope(data_context, ctx))


def _walk(data, scope):
    if isinstance(data, str):
        return _evaluate_string(data, scope)
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            new_key = _evaluate_key(key, scope)
            if new_key in result:
                raise exc.ExpressionEvaluationError(
                    f"Key {new_key!r} appears twice after evaluating [expression={key}]"
                )
            result[new_key] = _walk(value, scope)
        return result
    if isinstance(data, (list, tuple)):
        return [_walk(item, scope) for item in data]
    return data


def _evaluate_key(key, scope):
    if not isinstance(key, str) or not is_expression(key):
        return key
    new_key = _evaluate_string(key, scope)
    if new_key is not None and not isinstance(new_key, (str, int, float)):
        raise exc.ExpressionEvaluationError(
            f"A dict key must evaluate to a string, a number or null, not "
            f"{type(new_key).__name__} [expression={key}]"
        )
    return new_key
