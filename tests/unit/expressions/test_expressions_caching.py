"""Caching: parsed YAQL and compiled Jinja are reused across calls and
contexts, results never are, and invalid expressions are never cached."""

import pytest

from mistral import exceptions as exc
from mistral import expressions as expr
from mistral.expressions import jinja_eval, yaql_eval


@pytest.fixture
def clear_caches():
    yaql_eval.parse.cache_clear()
    jinja_eval._compile.cache_clear()
    jinja_eval._parse.cache_clear()
    yield


def test_yaql_parses_once_per_distinct_expression(clear_caches):
    for x in range(5):
        assert expr.evaluate("<% $.x * 2 %>", {"x": x}) == x * 2
    info = yaql_eval.parse.cache_info()
    assert info.misses == 1
    assert info.hits == 4


def test_yaql_cache_key_is_the_stripped_expression(clear_caches):
    assert expr.evaluate("<% $.x %>", {"x": 1}) == 1
    assert expr.evaluate("<%   $.x\n%>", {"x": 2}) == 2
    assert expr.evaluate("a <%$.x%> b", {"x": 3}) == "a 3 b"
    assert yaql_eval.parse.cache_info().misses == 1


def test_validate_fills_the_cache_evaluate_uses(clear_caches):
    expr.validate("<% $.y + 1 %>")
    assert expr.evaluate("<% $.y + 1 %>", {"y": 1}) == 2
    info = yaql_eval.parse.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_jinja_compiles_once_per_distinct_string(clear_caches):
    for x in range(5):
        assert expr.evaluate("{{ _.x * 2 }}", {"x": x}) == x * 2
        assert expr.evaluate("v={{ _.x }}", {"x": x}) == f"v={x}"
    info = jinja_eval._compile.cache_info()
    assert info.misses == 2
    assert info.hits == 8


def test_jinja_validation_is_cached(clear_caches):
    for _ in range(3):
        expr.validate("a {{ _.x }} b")
    info = jinja_eval._parse.cache_info()
    assert (info.misses, info.hits) == (1, 2)


@pytest.mark.parametrize(
    "bad, error", [("<% 1 + %>", "Invalid YAQL"), ("{{ 1 + }}", "Invalid Jinja")]
)
def test_invalid_expressions_fail_every_time(clear_caches, bad, error):
    for _ in range(3):
        with pytest.raises(exc.ExpressionValidationError) as info:
            expr.validate(bad)
        assert error in str(info.value)
        with pytest.raises(exc.ExpressionEvaluationError):
            expr.evaluate(bad, {})


def test_functions_context_is_per_call_not_cached():
    class Ctx(expr.FunctionsContext):
        def __init__(self, token):
            self.token = token

        def env(self):
            return {"token": self.token}

    for token in ("a", "b", "c"):
        assert expr.evaluate("<% env().token %>", {}, Ctx(token)) == token
        assert expr.evaluate("{{ env().token }}", {}, Ctx(token)) == token


def test_results_are_fresh_objects_each_time():
    first = expr.evaluate("<% dict(a => [1]) %>", {})
    first["a"].append(2)
    assert expr.evaluate("<% dict(a => [1]) %>", {}) == {"a": [1]}
    first = expr.evaluate("{{ {'a': [1]} }}", {})
    first["a"].append(2)
    assert expr.evaluate("{{ {'a': [1]} }}", {}) == {"a": [1]}


def test_cache_sizes():
    assert yaql_eval.parse.cache_parameters()["maxsize"] == 10000
    assert jinja_eval._compile.cache_parameters()["maxsize"] == 10000


def test_validating_a_large_definition_reuses_repeated_expressions(clear_caches):
    definition = {
        "tasks": {
            f"t{i}": {
                "input": {"url": "<% env().url %>", "n": f"<% $.n{i} %>"},
                "publish": {"r": "{{ task().result }}"},
            }
            for i in range(1000)
        }
    }
    expr.validate_recursively(definition)
    assert yaql_eval.parse.cache_info().misses == 1001
    assert jinja_eval._parse.cache_info().misses == 1
