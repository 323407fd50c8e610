"""Jinja evaluation: native and rendered results, the sandbox, StrictUndefined,
standard filters, and every error path."""

import pytest

from mistral import exceptions as exc
from mistral import expressions as expr

DATA = {
    "x": 1,
    "s": "text",
    "flag": True,
    "none": None,
    "items": [1, 2, 3],
    "d": {"a": "b", "n": {"m": [1, {"k": "v"}]}},
    "users": [{"name": "ann", "age": 30}, {"name": "bob", "age": 20}],
    "keys": {"items": "the items key", "keys": "the keys key"},
    "num_str": "123",
}


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("{{ _.x }}", 1),
        ("{{ _.s }}", "text"),
        ("{{ _.flag }}", True),
        ("{{ _.none }}", None),
        ("{{ _.items }}", [1, 2, 3]),
        ("{{ _.d }}", DATA["d"]),
        ("{{ _ }}", DATA),
        ("{{ _['d']['n'].m[1].k }}", "v"),
        # A string that looks like a number stays a string.
        ("{{ _.num_str }}", "123"),
        ("  {{ _.x }}\n", 1),
        ("{{_.x}}", 1),
        ("{{- _.x -}}", 1),
        # Dict keys win over dict methods: _.items is the data.
        ("{{ _.keys.items }}", "the items key"),
        ("{{ _.keys.keys }}", "the keys key"),
        ("{{ _.d.keys() | list }}", ["a", "n"]),
        ("{{ _.x + 2 * 3 }}", 7),
        ("{{ _.x == 1 and _.flag }}", True),
        ("{{ _.s ~ '-' ~ _.x }}", "text-1"),
        ("{{ _.s | upper }}", "TEXT"),
        ("{{ _.items | length }}", 3),
        ("{{ _.items | sum }}", 6),
        ("{{ _.items | map('string') }}", ["1", "2", "3"]),
        ("{{ _.items | select('odd') | list }}", [1, 3]),
        (
            "{{ _.users | selectattr('age', 'gt', 25) | map(attribute='name') }}",
            ["ann"],
        ),
        ("{{ _.users | map(attribute='name') | join(',') }}", "ann,bob"),
        ("{{ _.users | sort(attribute='age') | first }}", DATA["users"][1]),
        ("{{ _.items | reverse }}", [3, 2, 1]),
        ("{{ _.d | dictsort }}", [["a", "b"], ["n", DATA["d"]["n"]]]),
        ("{{ 'a,b'.split(',') }}", ["a", "b"]),
        ("{{ _.missing | default('dflt') }}", "dflt"),
        ("{{ _.missing is defined }}", False),
        ("{{ range(3) }}", [0, 1, 2]),
        ("{{ (1, 2) }}", [1, 2]),
        ("{{ {'a': {'b': 1}} }}", {"a": {"b": 1}}),
        ("{{ '}}' }}", "}}"),
        ("{{ '<b>' | safe }}", "<b>"),
        ("{{ '<b>' }}", "<b>"),
        ("{{ 'x' if _.flag else 'y' }}", "x"),
        ("{{ 'multi\nline' }}", "multi\nline"),
        ("{{\n  _.x +\n  1\n}}", 2),
    ],
)
def test_native_results(expression, expected):
    assert expr.evaluate(expression, DATA) == expected


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("x={{ _.x }}", "x=1"),
        ("{{ _.x }} and {{ _.s }}", "1 and text"),
        ("{{ _.x }}{{ _.x }}", "11"),
        ("  {{ _.s }}-{{ _.s }}  ", "  text-text  "),
        ("flag={{ _.flag }}", "flag=True"),
        ("none={{ _.none }}", "none=None"),
        ("list={{ _.items }}", "list=[1, 2, 3]"),
        ("dict={{ _.d.n }}", 'dict={"m": [1, {"k": "v"}]}'),
        ("strs={{ ['a', 'é'] }}", 'strs=["a", "é"]'),
        ("gen={{ _.items | map('string') }}", 'gen=["1", "2", "3"]'),
        ("http://{{ _.s }}:{{ _.x }}/api\n", "http://text:1/api\n"),
        ("{% for i in _.items %}{{ i }},{% endfor %}", "1,2,3,"),
        ("{% if _.flag %}yes{% else %}no{% endif %}", "yes"),
        ("{% set y = _.x + 1 %}{{ y }}", "2"),
        ("a\n{% if _.flag %}\nb\n{% endif %}\nc", "a\nb\nc"),
        ("{# comment #}{{ _.x }}", "1"),
    ],
)
def test_templates_render_to_text(expression, expected):
    assert expr.evaluate(expression, DATA) == expected


def test_result_is_a_copy_not_the_data_context():
    data = {"d": {"a": [1]}}
    result = expr.evaluate("{{ _.d }}", data)
    assert result == data["d"]
    assert result is not data["d"]
    result["a"].append(2)
    assert data == {"d": {"a": [1]}}


@pytest.mark.parametrize(
    "expression, error_part",
    [
        ("{{ _.missing }}", "'dict object' has no attribute 'missing'"),
        ("{{ [_.missing] }}", "has no attribute 'missing'"),
        ("{{ {'k': _.missing} }}", "has no attribute 'missing'"),
        ("x {{ _.missing }}", "has no attribute 'missing'"),
        ("{{ undefined_name }}", "'undefined_name' is undefined"),
        ("{{ _.d.a.b.c }}", "has no attribute"),
        ("{{ nosuchfunction() }}", "'nosuchfunction' is undefined"),
        ("{{ _.x / 0 }}", "division by zero"),
        ("{{ _.s + 1 }}", "[expression={{ _.s + 1 }}, error="),
        ("{{ _.items | nosuchfilter }}", "nosuchfilter"),
        ("{{ _.__class__ }}", "unsafe"),
        ("{{ _.x.__class__.__mro__ }}", "unsafe"),
        ("{{ _.s.format.__globals__ }}", "unsafe"),
        ("{{ env }}", "not a JSON value"),
        ("{{ $.x }}", "unexpected char '$'"),
        ("{% if %}", "Expected an expression"),
        ("{{ }}", "[expression={{ }}, error="),
    ],
)
def test_runtime_errors_name_the_expression(expression, error_part):
    with pytest.raises(exc.ExpressionEvaluationError) as info:
        expr.evaluate(expression, DATA)
    message = str(info.value)
    assert message.startswith(
        f"Can not evaluate Jinja expression [expression={expression.strip()}, error="
    )
    assert error_part in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "expression, error_part",
    [
        ("{{ $.x }}", "unexpected char '$'"),
        ("{{ }}", "Expected an expression"),
        ("{{ _.x + }}", "[expression={{ _.x + }}, error="),
        ("{% if _.x %}no end", "endif"),
        ("{% for x in y %}", "endfor"),
        ("{% nosuchtag %}", "nosuchtag"),
        ("a {{ _.x }} b {{ _.y ) }}", "unexpected ')'"),
    ],
)
def test_syntax_errors_at_validate(expression, error_part):
    with pytest.raises(exc.ExpressionValidationError) as info:
        expr.validate(expression)
    assert str(info.value).startswith("Invalid Jinja expression [expression=")
    assert error_part in str(info.value)


@pytest.mark.parametrize(
    "expression",
    [
        "{{ _.x }}",
        "{{ env().token }}",
        "{{ task('t1').result }}",
        "{{ json_dump(_.x) }}",
        "{% for i in _.items %}{{ i }}{% endfor %}",
        "a {{ _.x }} b {{ _.y }}",
        "{{ {'a': {'b': 1}} }}",
    ],
)
def test_valid_expressions_pass_validate(expression):
    assert expr.validate(expression) is None


def test_the_sandbox_blocks_unsafe_calls():
    class Obj:
        def method(self):
            return 1

    with pytest.raises(exc.ExpressionEvaluationError):
        expr.evaluate("{{ _.o.method.__func__.__code__ }}", {"o": Obj()})


@pytest.mark.parametrize(
    "expression",
    [
        "{{ _.items.append(4) }}",
        "{% set _x = _.items.append(4) %}{{ _.items }}",
        "{{ _.d.update({'a': 'changed'}) }}",
        "{{ _.d.n.m.pop() }}",
        "{{ _.d.clear() }}",
    ],
)
def test_templates_never_modify_the_data_context(expression):
    data = {"items": [1, 2, 3], "d": {"a": "b", "n": {"m": [1, 2]}}}
    expr.evaluate(expression, data)
    assert data == {"items": [1, 2, 3], "d": {"a": "b", "n": {"m": [1, 2]}}}


def test_templates_never_modify_what_the_functions_context_returns():
    shared_env = {"list": [1]}

    class Ctx(expr.FunctionsContext):
        def env(self):
            return shared_env

    expr.evaluate("{{ env().list.append(2) }}", {}, Ctx())
    assert shared_env == {"list": [1]}


def test_templates_may_accumulate_in_local_lists():
    template = (
        "{% set acc = [] %}{% for u in _.users %}"
        "{% set _x = acc.append(u.name | upper) %}{% endfor %}{{ acc | join(',') }}"
    )
    assert expr.evaluate(template, DATA) == "ANN,BOB"
    template = (
        "{% set ns = namespace(total=0) %}{% for i in _.items %}"
        "{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}"
    )
    assert expr.evaluate(template, DATA) == "6"
