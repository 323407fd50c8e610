"""Tests of the one-line forms: inline parameters, transitions, with-items."""

import pytest

from mistral.lang import inline


@pytest.mark.parametrize(
    "text, cmd, params",
    [
        ("std.noop", "std.noop", {}),
        ("  std.noop  ", "std.noop", {}),
        ("std.echo output=Hello", "std.echo", {"output": "Hello"}),
        (
            'std.http url=<% env().url %> method="POST" headers={"a": 1}',
            "std.http",
            {"url": "<% env().url %>", "method": "POST", "headers": {"a": 1}},
        ),
        ('x a="b = c d"', "x", {"a": "b = c d"}),
        ("x a='it is = ok'", "x", {"a": "it is = ok"}),
        ("x a='it\\'s'", "x", {"a": "it's"}),
        ('x a="say \\"hi\\""', "x", {"a": 'say "hi"'}),
        ('x a="C:\\dir"', "x", {"a": "C:\\dir"}),
        ('x a="1"', "x", {"a": "1"}),
        (
            "x a=1 b=1.5 c=true d=false e=null",
            "x",
            {"a": 1, "b": 1.5, "c": True, "d": False, "e": None},
        ),
        ("x a=[1, 2, 3]", "x", {"a": [1, 2, 3]}),
        ('x a={"k": [1, {"n": "}"}]}', "x", {"a": {"k": [1, {"n": "}"}]}}),
        ("x a=<% $.a = 'b c' %> b=2", "x", {"a": "<% $.a = 'b c' %>", "b": 2}),
        ("x a={{ _.a ~ ' x=y ' }}", "x", {"a": "{{ _.a ~ ' x=y ' }}"}),
        ("x a={{ {'k': {'n': 1}} }}", "x", {"a": "{{ {'k': {'n': 1}} }}"}),
        ("x a=[<% $.a %>, 2]", "x", {"a": "[<% $.a %>, 2]"}),
        ("x url=http://<% $.host %>/p?q=1", "x", {"url": "http://<% $.host %>/p?q=1"}),
        ("x a={% if true %}y{% endif %}", "x", {"a": "{% if true %}y{% endif %}"}),
        ("x a=NaN", "x", {"a": "NaN"}),
        ("x my-param=1 my_other=2", "x", {"my-param": 1, "my_other": 2}),
        ("x a=1 a=2", "x", {"a": 2}),
        ("<% $.action %> a=1", "<% $.action %>", {"a": 1}),
        ("{{ _.wf_name }}", "{{ _.wf_name }}", {}),
        ("x\n  a=1\n  b=2", "x", {"a": 1, "b": 2}),
    ],
)
def test_parse_command(text, cmd, params):
    assert inline.parse_command(text) == (cmd, params)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the name is empty"),
        ("std.echo Hello", "expected 'name=value' at 'Hello'"),
        ("std.echo a=", "parameter 'a' has no value"),
        ('std.echo a="open', "unterminated quoted string"),
        ("std.echo a=<% $.x", "unterminated expression"),
        ("std.echo a={{ _.x", "unterminated expression"),
        ("std.echo a=[1, 2", "unbalanced brackets"),
        ("url=http://x", "'url=http://x' is not a valid name"),
        ('"std.echo" a=1', "is not a valid name"),
    ],
)
def test_parse_command_errors(text, message):
    with pytest.raises(inline.InlineError) as e:
        inline.parse_command(text)
    assert message in str(e.value)


@pytest.mark.parametrize(
    "text, name, params",
    [
        ("task2", "task2", {}),
        ("my-task", "my-task", {}),
        ("fail", "fail", {}),
        ('fail msg="it broke"', "fail", {"msg": "it broke"}),
        ("pause msg=<% $.why %>", "pause", {"msg": "<% $.why %>"}),
        ('fail(msg="test")', "fail", {"msg": "test"}),
        ("fail(msg=<% task().result %>)", "fail", {"msg": "<% task().result %>"}),
        ('fail(msg="a", code=3)', "fail", {"msg": "a", "code": 3}),
        ("succeed()", "succeed", {}),
    ],
)
def test_parse_transition(text, name, params):
    assert inline.parse_transition(text) == (name, params)


def test_parse_transition_refuses_expressions():
    with pytest.raises(inline.InlineError, match="is an expression"):
        inline.parse_transition("<% $.next_task %>")


@pytest.mark.parametrize(
    "text, var, source",
    [
        ("x in <% $.xs %>", "x", "<% $.xs %>"),
        ("  vm_id in {{ _.ids }} ", "vm_id", "{{ _.ids }}"),
        ("i in [1, 2, 3]", "i", [1, 2, 3]),
        ('s in ["a b", "c"]', "s", ["a b", "c"]),
        ("my-var in <% $.a.where($ > 1) %>", "my-var", "<% $.a.where($ > 1) %>"),
    ],
)
def test_parse_with_items(text, var, source):
    assert inline.parse_with_items(text) == (var, source)


@pytest.mark.parametrize(
    "text, message",
    [
        ("x <% $.xs %>", "must look like 'var in <% $.list %>'"),
        ("x in", "must look like"),
        ("x in $.xs", "must be an expression or a JSON list after 'in'"),
        ("x in <% $.a %> and <% $.b %>", "must be an expression or a JSON list"),
        ("x in [1, 2", "is not a JSON list"),
        ('x in ["a"] + [1]', "is not a JSON list"),
    ],
)
def test_parse_with_items_errors(text, message):
    with pytest.raises(inline.InlineError) as e:
        inline.parse_with_items(text)
    assert message in str(e.value)
