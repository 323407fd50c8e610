"""Tests of workbook and ad-hoc action definitions."""

import json
import pathlib

import pytest

from mistral import exceptions as exc
from mistral import lang
from mistral.lang import InputParam, Transition

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_text()


def test_workbook_fixture():
    wb = lang.parse_workbook(fixture("workbook.yaml"))
    assert wb.name == "my_workbook"
    assert wb.description == "My set of workflows and ad-hoc actions"
    assert wb.tags == ["demo"]
    assert [w.name for w in wb.workflows] == ["local_workflow1", "local_workflow2"]
    assert [wb.qualified_name(w.name) for w in wb.workflows] == [
        "my_workbook.local_workflow1",
        "my_workbook.local_workflow2",
    ]
    wf1, wf2 = wb.workflows
    assert wf1.qualified_name(wb.name) == "my_workbook.local_workflow1"
    assert wf1.tasks["task1"].action == "local_action"
    assert wf1.tasks["task1"].input == {"str1": "Hi", "str2": " Mistral!"}
    assert wf1.tasks["task1"].on_complete == [Transition("task2")]
    assert wf2.type == "reverse"
    assert wf2.tasks["task2"].requires == ["task1"]
    assert wf2.tasks["task2"].input == {"param1": "val1", "param2": "val2"}
    (action,) = wb.actions
    assert action.name == "local_action"
    assert action.base == "std.echo"
    assert action.base_input == {"output": "<% $.str1 %><% $.str2 %>"}
    assert action.input == [InputParam("str1"), InputParam("str2")]

    d = json.loads(json.dumps(wb.to_dict()))
    assert lang.load_workbook_spec(d) == wb
    assert lang.load_workbook_spec(d).to_dict() == d


def test_workbook_without_workflows_or_actions():
    wb = lang.parse_workbook("version: '2.0'\nname: empty\n")
    assert (wb.workflows, wb.actions, wb.tags) == ([], [], [])


def test_actions_fixture():
    email, greet = lang.parse_actions(fixture("actions.yaml"))
    assert email.name == "error_email"
    assert email.description == "Sends the error mail"
    assert email.tags == ["mail"]
    assert email.base == "std.email"
    assert email.base_input["subject"] == "<% $.subject %>"
    assert email.input == [
        InputParam("execution_id"),
        InputParam("subject", True, "Something went wrong"),
    ]
    assert email.input_string() == 'execution_id, subject="Something went wrong"'
    assert email.output == "<% $.sent %>"
    assert greet.base == "std.echo"
    # Like task input: the explicit mapping wins over inline parameters.
    assert greet.base_input == {"output": "Hello <% $.name %>", "extra": 2}
    assert greet.output is None
    for spec in (email, greet):
        d = json.loads(json.dumps(spec.to_dict()))
        assert lang.load_action_spec(d) == spec
        assert lang.load_action_spec(d).to_dict() == d


A = "Invalid action 'a'"
WB = "Invalid workbook 'wb'"


@pytest.mark.parametrize(
    "text, message",
    [
        ("version: '2.0'\n", "Invalid definition: the document defines no action"),
        ("a: {base: x}\n", "Invalid definition: field 'version' is required"),
        (
            "version: '2.0'\n'': {base: x}\n",
            "Invalid definition: action name '' must be a non-empty string",
        ),
        ("version: '2.0'\na: x\n", A + ": the action must be a mapping, not a string"),
        ("version: '2.0'\na: {}\n", A + ": field 'base' is required"),
        (
            "version: '2.0'\na: {base: 1}\n",
            A + ": field 'base' must be a string, not a number",
        ),
        (
            "version: '2.0'\na: {base: std.echo oops}\n",
            A + ": field 'base' is invalid: expected 'name=value' at 'oops'",
        ),
        ("version: '2.0'\na: {base: x, foo: 1}\n", A + ": unknown field 'foo'"),
        (
            "version: '2.0'\na: {base: x, base-input: [1]}\n",
            A + ": field 'base-input' must be a mapping, not a list",
        ),
        (
            "version: '2.0'\na: {base: x, input: [b, b]}\n",
            A + ": field 'input' declares parameter 'b' twice",
        ),
        (
            "version: '2.0'\na: {base: x, tags: tag}\n",
            A + ": field 'tags' must be a list of strings",
        ),
        (
            "version: '2.0'\na: {base: x, description: [d]}\n",
            A + ": field 'description' must be a string",
        ),
        ("version: '2.0'\na: {base: x, version: 1}\n", A + ": unsupported version 1"),
    ],
)
def test_action_errors(text, message):
    with pytest.raises(exc.InvalidModelException) as e:
        lang.parse_actions(text)
    assert str(e.value).startswith(message), str(e.value)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "version: '2.0'\nworkflows: {}\n",
            "Invalid definition: field 'name' is required in a workbook",
        ),
        (
            "version: '2.0'\nname: ''\n",
            "Invalid definition: workbook name '' must be a non-empty string",
        ),
        (
            "version: '2.0'\nname: wb\ntriggers: {}\n",
            "Invalid definition: unknown field 'triggers'",
        ),
        (
            "version: '2.0'\nname: wb\nworkflows: [a]\n",
            WB + ": field 'workflows' must be a mapping, not a list",
        ),
        (
            "version: '2.0'\nname: wb\nactions: {a: {}}\n",
            WB + ", action 'a': field 'base' is required",
        ),
        (
            "version: '2.0'\nname: wb\nworkflows: {my.wf: {tasks: {t: {}}}}\n",
            WB
            + ": workflow name 'my.wf' may only contain letters, digits, '_' and '-'",
        ),
        (
            "version: '2.0'\nname: wb\nactions: {'a b': {base: x}}\n",
            WB + ": action name 'a b' may only contain letters",
        ),
        (
            "version: '2.0'\nname: wb\nworkflows: {version: '1.0'}\n",
            WB + ": unsupported version '1.0'",
        ),
        (
            "version: '2.0'\nname: wb\nworkflows: {w: {tasks: {}}}\n",
            WB + ", workflow 'w': field 'tasks' is required",
        ),
        (
            "version: '2.0'\nname: wb\ntags: [a, a]\n",
            WB + ": field 'tags' lists 'a' twice",
        ),
    ],
)
def test_workbook_errors(text, message):
    with pytest.raises(exc.InvalidModelException) as e:
        lang.parse_workbook(text)
    assert str(e.value).startswith(message), str(e.value)
