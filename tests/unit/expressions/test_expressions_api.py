"""The public API: detection, validation and evaluation of nested data,
one language per string, and non-string inputs."""

import pytest

from mistral import exceptions as exc
from mistral import expressions as expr


@pytest.mark.parametrize(
    "value, expected",
    [
        ("<% $.x %>", True),
        ("a <% $.x %> b", True),
        ("<%\n$.x\n%>", True),
        ("{{ _.x }}", True),
        ("a {{ _.x }} b", True),
        ("{% if _.x %}y{% endif %}", True),
        ("{{\n_.x\n}}", True),
        ("plain text", False),
        ("", False),
        ("<% not closed", False),
        ("not opened %>", False),
        ("{{ not closed", False),
        ("{ single }", False),
        ('{"json": {"nested": 1}}', False),
        ("{# only a comment #}", False),
        ("100%", False),
        (None, False),
        (1, False),
        ({"<% $.x %>": 1}, False),
        (["<% $.x %>"], False),
    ],
)
def test_is_expression(value, expected):
    assert expr.is_expression(value) is expected


@pytest.mark.parametrize(
    "value",
    ["<% $.x %> {{ _.x }}", "{{ _.x }}<% $.y %>", "{% if x %}<% $.y %>{% endif %}"],
)
def test_one_language_per_string(value):
    with pytest.raises(exc.ExpressionValidationError) as info:
        expr.validate(value)
    assert "can not be mixed" in str(info.value)
    with pytest.raises(exc.ExpressionEvaluationError) as info:
        expr.evaluate(value, {"x": 1, "y": 2})
    assert "can not be mixed" in str(info.value)


@pytest.mark.parametrize("value", [None, 1, 1.5, True, {"a": 1}, ["<% 1 + %>"]])
def test_validate_ignores_non_strings(value):
    assert expr.validate(value) is None


@pytest.mark.parametrize(
    "value", [None, 1, 1.5, True, {"a": "<% $.x %>"}, ["<% $.x %>"]]
)
def test_evaluate_returns_non_strings_unchanged(value):
    assert expr.evaluate(value, {"x": 1}) is value


@pytest.mark.parametrize(
    "data",
    [
        {"k": "<% 1 + %>"},
        {"<% 1 + %>": "v"},
        ["ok", ["<% 1 + %>"]],
        ("ok", "{{ _.x + }}"),
        {"a": {"b": [{"c": "x {{ $.y }}"}]}},
        "<% 1 + %>",
    ],
)
def test_validate_recursively_finds_a_bad_expression_anywhere(data):
    with pytest.raises(exc.ExpressionValidationError):
        expr.validate_recursively(data)


def test_validate_recursively_accepts_valid_data():
    data = {
        "input": {"url": "http://<% $.host %>/", "n": 1, "none": None},
        "<% $.key %>": ["{{ _.a }}", 2, {"deep": "<% env().b %>"}],
        "plain": True,
    }
    assert expr.validate_recursively(data) is None


def test_evaluate_recursively_walks_values_keys_lists_and_strings():
    data = {
        "a": "<% $.x %>",
        "b": ["{{ _.y }}", "lit", 3, None, {"c": "v=<% $.x %>"}],
        "<% $.name %>": "key evaluated",
        "{{ _.name2 }}": "jinja key",
        "plain key": ("<% $.x %>", "t"),
        "num": 5,
    }
    context = {"x": 1, "y": [1, 2], "name": "k1", "name2": "k2"}
    result = expr.evaluate_recursively(data, context)
    assert result == {
        "a": 1,
        "b": [[1, 2], "lit", 3, None, {"c": "v=1"}],
        "k1": "key evaluated",
        "k2": "jinja key",
        "plain key": [1, "t"],
        "num": 5,
    }
    # A new structure: the input is untouched.
    assert data["a"] == "<% $.x %>"
    assert result["b"] is not data["b"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("<% $.x %>", 7),
        ("lit", "lit"),
        (5, 5),
        (None, None),
        (True, True),
        ([], []),
        ({}, {}),
        (["a", ["<% $.x %>"]], ["a", [7]]),
        ({"a": {"b": "{{ _.x }}"}}, {"a": {"b": 7}}),
    ],
)
def test_evaluate_recursively_on_scalars_and_nesting(value, expected):
    assert expr.evaluate_recursively(value, {"x": 7}) == expected


def test_evaluate_recursively_evaluates_even_with_an_empty_context():
    # The original skipped evaluation for an empty context; we do not.
    assert expr.evaluate_recursively({"a": "<% 1 + 1 %>"}, {}) == {"a": 2}
    assert expr.evaluate_recursively(["{{ 1 + 1 }}"], None) == [2]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"<% $.d %>": 1}, "must evaluate to a string, a number or null"),
        ({"<% $.l %>": 1}, "must evaluate to a string, a number or null"),
        ({"a": 1, "<% $.s %>": 2}, "appears twice"),
        ({"<% $.s %>": 1, "{{ _.s }}": 2}, "appears twice"),
        ({"k": ["<% $.missing %>"]}, "[expression=$.missing"),
        ({"<% $.missing %>": 1}, "[expression=$.missing"),
    ],
)
def test_evaluate_recursively_errors(data, message):
    context = {"d": {"a": 1}, "l": [1], "s": "a"}
    with pytest.raises(exc.ExpressionEvaluationError) as info:
        expr.evaluate_recursively(data, context)
    assert message in str(info.value)


def test_evaluated_keys_may_be_numbers_or_null():
    result = expr.evaluate_recursively({"<% 1 %>": "a", "<% null %>": "b"}, {})
    assert result == {1: "a", None: "b"}


def test_evaluate_recursively_freezes_the_yaql_context_once(monkeypatch):
    from mistral.expressions import yaql_eval

    calls = []
    original = yaql_eval.convert_input

    def counting(data):
        calls.append(data)
        return original(data)

    monkeypatch.setattr(yaql_eval, "convert_input", counting)
    data = {"a": "<% $.x %>", "b": ["<% $.x %>", "<% $.x + 1 %>"], "c": "t"}
    assert expr.evaluate_recursively(data, {"x": 1}) == {"a": 1, "b": [1, 2], "c": "t"}
    assert len(calls) == 1
    # No YAQL at all: no copy made.
    calls.clear()
    expr.evaluate_recursively({"a": "{{ _.x }}", "b": "t"}, {"x": 1})
    assert calls == []
