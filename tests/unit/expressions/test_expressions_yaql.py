"""YAQL evaluation: native and mixed results, the standard library with the
original's options, frozen-type conversion, and every error path."""

import datetime

import pytest

from mistral import exceptions as exc
from mistral import expressions as expr
from mistral.expressions import yaql_eval

DATA = {
    "x": 1,
    "s": "text",
    "flag": True,
    "none": None,
    "items": [1, 2, 3],
    "d": {"a": "b", "n": {"m": [1, {"k": "v"}]}},
    "users": [{"name": "ann", "age": 30}, {"name": "bob", "age": 20}],
    "keys": {"items": "the items key"},
}


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("<% $.x %>", 1),
        ("<% $.s %>", "text"),
        ("<% $.flag %>", True),
        ("<% $.none %>", None),
        ("<% $.items %>", [1, 2, 3]),
        ("<% $.d %>", DATA["d"]),
        ("<% $ %>", DATA),
        ("<% $.d.n.m[1].k %>", "v"),
        ("<% $.keys.items %>", "the items key"),
        # Whitespace around a lone expression is not part of the value.
        ("  <% $.x %>\n", 1),
        ("<%$.x%>", 1),
        ("<% $.items.select($ * 2) %>", [2, 4, 6]),
        ("<% $.items.where($ > 1) %>", [2, 3]),
        ("<% $.users.where($.age > 25).select($.name) %>", ["ann"]),
        ("<% $.users.select($.name).first() %>", "ann"),
        ("<% $.items.len() %>", 3),
        ("<% len($.items) %>", 3),
        ("<% $.items.sum() %>", 6),
        ("<% $.x + 2 * 3 %>", 7),
        ("<% $.x = 1 and not $.flag = false %>", True),
        ("<% $.x > 5 or $.none = null %>", True),
        ("<% $.s + '-' + str($.x) %>", "text-1"),
        ("<% 'a,b'.split(',') %>", ["a", "b"]),
        ("<% $.s.toUpper() %>", "TEXT"),
        ("<% dict(a => 1) %>", {"a": 1}),
        ("<% {a => [1, 2], b => {c => null}} %>", {"a": [1, 2], "b": {"c": None}}),
        ("<% dict([['a', 2], ['b', 4]]) %>", {"a": 2, "b": 4}),
        ("<% let(x => 1) -> $x %>", 1),
        ("<% let(y => $.x + 1) -> $y * 10 %>", 20),
        ("<% list(1, 2) %>", [1, 2]),
        ("<% [1, dict(k => v), 3] %>", [1, {"k": "v"}, 3]),
        ("<% range(0, 3) %>", [0, 1, 2]),
        ("<% set(15) %>", [15]),
        ("<% [4, 4].toSet() %>", [4]),
        ("<% $.d.keys() %>", ["a", "n"]),
        ("<% $.d.get(a) %>", "b"),
        ("<% $.d.get(zz, 5) %>", 5),
        ("<% $.d.set(a => 'c') %>", {"a": "c", "n": DATA["d"]["n"]}),
        ("<% switch($.x > 0 => pos, true => neg) %>", "pos"),
        ("<% $.users.orderBy($.age).select($.name) %>", ["bob", "ann"]),
        (
            "<% $.users.groupBy($.age > 25, $.name) %>",
            [[True, ["ann"]], [False, ["bob"]]],
        ),
        ("<% [[1, 2], [3]].selectMany($) %>", [1, 2, 3]),
        ("<% $.items.distinct() %>", [1, 2, 3]),
        ("<% regex('a.c').matches('abc') %>", True),
        ("<% 'x' in ['x'] %>", True),
        ("<% $unknown %>", None),
        ("<% true %>", True),
        ("<% null %>", None),
        ("<% 1.5 %>", 1.5),
        ("<% 'multi\nline' %>", "multi\nline"),
        ("<%\n  $.x +\n  1\n%>", 2),
    ],
)
def test_native_results(expression, expected):
    assert expr.evaluate(expression, DATA) == expected


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("x=<% $.x %>", "x=1"),
        ("<% $.x %> and <% $.s %>", "1 and text"),
        ("<% $.x %><% $.x %>", "11"),
        ("  <% $.s %>-<% $.s %>  ", "  text-text  "),
        ("flag=<% $.flag %>", "flag=True"),
        ("none=<% $.none %>", "none=None"),
        ("f=<% 1.5 %>", "f=1.5"),
        ("list=<% $.items %>", "list=[1, 2, 3]"),
        ("dict=<% $.d.n %>", 'dict={"m": [1, {"k": "v"}]}'),
        ("strs=<% ['a', 'é'] %>", 'strs=["a", "é"]'),
        ("set=<% set(1) %>", "set=[1]"),
        ("http://<% $.s %>:<% $.x %>/api\n", "http://text:1/api\n"),
        ("line1\n<% $.x %>\nline3", "line1\n1\nline3"),
    ],
)
def test_mixed_text_substitutes_each_expression(expression, expected):
    assert expr.evaluate(expression, DATA) == expected


def test_results_are_plain_json_types_never_frozen():
    result = expr.evaluate(
        "<% [dict(a => [1, set(2)]), [3, 4].toSet(), range(0, 1)] %>", {}
    )
    assert result == [{"a": [1, [2]]}, [3, 4], [0]]
    assert type(result) is list
    assert type(result[0]) is dict
    assert type(result[0]["a"]) is list
    assert type(result[0]["a"][1]) is list


def test_result_is_a_copy_not_the_data_context():
    data = {"d": {"a": [1]}}
    result = expr.evaluate("<% $.d %>", data)
    assert result == data["d"]
    assert result is not data["d"]
    result["a"].append(2)
    assert data == {"d": {"a": [1]}}


def test_datetime_results_become_iso_strings():
    result = expr.evaluate("<% now() %>", {})
    assert isinstance(result, str)
    assert datetime.datetime.fromisoformat(result)


@pytest.mark.parametrize(
    "data_context, expected",
    [(None, None), ([1, 2], [1, 2]), ("abc", "abc"), (5, 5), ({}, {})],
)
def test_any_data_context(data_context, expected):
    assert expr.evaluate("<% $ %>", data_context) == expected


def test_a_string_without_expression_is_returned_as_is():
    s = "no <% expression here"
    assert expr.evaluate(s, DATA) is s


@pytest.mark.parametrize(
    "expression, error_part",
    [
        ("<% $.foo.bar() %>", "[expression=$.foo.bar(), error="),
        ("<% $.d.a.nosuchfunction() %>", 'Unknown method "nosuchfunction"'),
        ("<% nosuchfunction() %>", 'Unknown function "nosuchfunction"'),
        ("<% $.missing %>", "key 'missing' not found"),
        ("<% $.x / 0 %>", "[expression=$.x / 0, error="),
        ("<% $.s + 1 %>", "[expression=$.s + 1, error="),
        ("<% len(1, 2, 3) %>", "len"),
        ("<% 1 + %>", "Parse error"),
        ("a <% %> b", "[expression=, error="),
        ("text <% $.s.toUpper() %> then <% $.nope.x %>", "[expression=$.nope.x,"),
    ],
)
def test_runtime_errors_name_the_expression(expression, error_part):
    with pytest.raises(exc.ExpressionEvaluationError) as info:
        expr.evaluate(expression, DATA)
    message = str(info.value)
    assert message.startswith("Can not evaluate YAQL expression [expression=")
    assert error_part in message
    assert info.value.code == 400


def test_no_raw_yaql_exception_escapes():
    for bad in ("<% $.a.b.c() %>", "<% 'x' * 'y' %>", "<% $$ %>", "<% int('x') %>"):
        with pytest.raises(exc.ExpressionEvaluationError):
            expr.evaluate(bad, {"a": {}})


@pytest.mark.parametrize(
    "expression, error_part",
    [
        ("<% 1 + %>", "Invalid YAQL expression [expression=1 +, error=Parse error"),
        ("<% %>", "Invalid YAQL expression [expression=, error="),
        ("<% $.x %> and <% foo( %>", "[expression=foo(, error="),
        ("<% 'unterminated %>", "[expression='unterminated, error=Lexical error"),
        ("<% a b %>", "[expression=a b, error="),
        ("<% $.items.select( %>", "[expression=$.items.select(,"),
    ],
)
def test_syntax_errors_at_validate(expression, error_part):
    with pytest.raises(exc.ExpressionValidationError) as info:
        expr.validate(expression)
    assert error_part in str(info.value)
    assert info.value.code == 400


@pytest.mark.parametrize(
    "expression",
    [
        "<% $.x %>",
        "<% dict(a => 1) %>",
        "<% let(x => 1) -> $x %>",
        "<% task(t1).result %>",
        "<% tasks(state => SUCCESS) %>",
        "prefix <% $.a %> middle <% env().b %> suffix",
        "<%\n $.multi\n%>",
        "no expression at all",
    ],
)
def test_valid_expressions_pass_validate(expression):
    assert expr.validate(expression) is None


def test_engine_options_are_the_originals():
    assert yaql_eval.KEYWORD_OPERATOR == "=>"
    assert yaql_eval.ALLOW_DELEGATES is False
    assert yaql_eval.ENGINE_OPTIONS["yaql.memoryQuota"] == -1
    assert yaql_eval.ENGINE_OPTIONS["yaql.limitIterators"] == -1
    assert yaql_eval.ENGINE_OPTIONS["yaql.convertInputData"] is True
    assert yaql_eval.ENGINE_OPTIONS["yaql.convertOutputData"] is True
    engine = yaql_eval._get_engine()
    assert engine is yaql_eval._get_engine()
    assert engine.options["yaql.memoryQuota"] == -1


def test_large_collections_are_not_limited():
    assert expr.evaluate("<% range(0, 100000).len() %>", {}) == 100000


def test_the_functions_context_is_not_reachable_as_a_variable():
    # The key holding it is not a valid YAQL variable name.
    assert expr.evaluate("<% $mistral %>", {}) is None
    with pytest.raises(exc.ExpressionEvaluationError):
        expr.evaluate("<% $mistral functions context %>", {})
