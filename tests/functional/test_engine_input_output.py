"""Workflow input, output, output-on-error, vars, task-defaults and
workbooks, through the API."""

import json

import pytest
from engine_support import define, fault, output, run, sub_executions

INPUT_WF = """
version: '2.0'
greet:
  input:
    - name
    - greeting: Hello
    - punct: "!"
    - opts: {loud: false}
  tasks:
    t:
      action: std.echo output="<% $.greeting %> <% $.name %><% $.punct %>"
      publish:
        text: <% task().result %>
  output:
    text: <% $.text %>
    opts: <% $.opts %>
"""


def test_input_defaults_apply_and_are_stored(api):
    define(api, INPUT_WF)
    ex = run(api, "greet", {"name": "Ann", "punct": "?"})
    assert output(ex) == {"text": "Hello Ann?", "opts": {"loud": False}}
    assert json.loads(ex["input"]) == {"name": "Ann", "greeting": "Hello", "punct": "?", "opts": {"loud": False}}


@pytest.mark.parametrize(
    "wf_input, named",
    [
        ({}, "name"),
        ({"greeting": "Hi"}, "name"),
        ({"name": "Ann", "colour": "red"}, "colour"),
    ],
)
def test_missing_or_unexpected_input_is_400_naming_the_parameter(api, wf_input, named):
    define(api, INPUT_WF)
    r = api.post("/v2/executions", {"workflow_name": "greet", "input": json.dumps(wf_input)})
    msg = fault(r, 400)
    assert named in msg
    assert api.get("/v2/executions").json()["executions"] == []


def test_input_not_an_object_is_400(api):
    define(api, INPUT_WF)
    r = api.post("/v2/executions", {"workflow_name": "greet", "input": json.dumps([1, 2])})
    fault(r, 400)


def test_unknown_workflow_is_404(api):
    r = api.post("/v2/executions", {"workflow_name": "nope"})
    assert r.status_code == 404, r.text


def test_vars_are_seen_by_tasks_and_output(api):
    define(
        api,
        """
version: '2.0'
with_vars:
  input:
    - base: 10
  vars:
    doubled: <% $.base * 2 %>
    label: "n={{ _.base }}"
  tasks:
    t:
      action: std.echo output=<% $.doubled + 1 %>
      publish:
        plus_one: <% task().result %>
  output:
    doubled: <% $.doubled %>
    label: <% $.label %>
    plus_one: <% $.plus_one %>
""",
    )
    ex = run(api, "with_vars")
    assert output(ex) == {"doubled": 20, "label": "n=10", "plus_one": 21}


def test_bad_vars_expression_fails_the_execution(api):
    define(
        api,
        """
version: '2.0'
bad_vars:
  vars:
    v: <% $.nothing.here %>
  tasks:
    t:
      action: std.noop
""",
    )
    ex = run(api, "bad_vars", expect=("ERROR",))
    assert "vars" in ex["state_info"]


def test_output_is_empty_object_without_output_section(api):
    define(api, "version: '2.0'\nplain:\n  tasks:\n    t:\n      action: std.noop\n")
    assert output(run(api, "plain")) == {}


def test_output_evaluation_error_fails_the_workflow(api):
    define(
        api,
        """
version: '2.0'
bad_out:
  tasks:
    t:
      action: std.noop
  output:
    x: <% $.missing.deeper %>
""",
    )
    ex = run(api, "bad_out", expect=("ERROR",))
    assert "output" in ex["state_info"]


def test_output_on_error_is_evaluated_when_the_workflow_fails(api):
    define(
        api,
        """
version: '2.0'
oerr:
  tasks:
    first:
      action: std.echo output=ok
      publish:
        seen: <% task().result %>
      on-success: boom
    boom:
      action: std.fail error_data="kaput"
      publish-on-error:
        why: <% task().result %>
  output:
    never: here
  output-on-error:
    seen: <% $.seen %>
    why: <% $.why %>
    failed: <% task(boom).state %>
""",
    )
    ex = run(api, "oerr", expect=("ERROR",))
    assert output(ex) == {"seen": "ok", "why": "kaput", "failed": "ERROR"}
    assert "boom" in ex["state_info"]


def test_task_defaults_apply_and_tasks_override(api):
    define(
        api,
        """
version: '2.0'
defaults:
  task-defaults:
    on-error: [handler]
    retry:
      count: 1
      delay: 0
  tasks:
    fails:
      action: std.fail
      publish-on-error:
        failed: yes
    overrides:
      action: std.fail
      retry:
        count: 2
        delay: 0
      on-error: [other]
    handler:
      action: std.echo output=handled
    other:
      action: std.echo output=other
""",
    )
    ex = run(api, "defaults")
    tasks = api.tasks(ex["id"])
    assert tasks["handler"]["state"] == "SUCCESS"
    assert tasks["other"]["state"] == "SUCCESS"
    assert tasks["fails"]["state"] == "ERROR"
    acts = api.get("/v2/tasks/%s/action_executions" % tasks["fails"]["id"]).json()["action_executions"]
    assert len(acts) == 2  # 1 run + 1 retry from task-defaults
    acts = api.get("/v2/tasks/%s/action_executions" % tasks["overrides"]["id"]).json()["action_executions"]
    assert len(acts) == 3  # its own retry: 1 run + 2 retries


WORKBOOK = """
version: '2.0'
name: wb
workflows:
  main:
    input:
      - n: 3
    tasks:
      call:
        workflow: helper
        input:
          n: <% $.n %>
        publish:
          got: <% task().result.squared %>
      call_qualified:
        workflow: wb.helper
        input:
          n: 4
        publish:
          got4: <% task().result.squared %>
    output:
      got: <% $.got %>
      got4: <% $.got4 %>
  helper:
    input: [n]
    tasks:
      sq:
        action: std.echo output=<% $.n * $.n %>
        publish:
          squared: <% task().result %>
    output:
      squared: <% $.squared %>
"""


def test_workbook_workflows_start_by_qualified_name_and_call_by_short_name(api):
    r = api.post("/v2/workbooks", text=WORKBOOK)
    assert r.status_code == 201, r.text
    names = {w["name"] for w in api.get("/v2/workflows").json()["workflows"]}
    assert {"wb.main", "wb.helper"} <= names
    ex = run(api, "wb.main")
    assert output(ex) == {"got": 9, "got4": 16}
    subs = sub_executions(api, api.tasks(ex["id"])["call"]["id"])
    assert [s["workflow_name"] for s in subs] == ["wb.helper"]
    assert output(run(api, "wb.helper", {"n": 5})) == {"squared": 25}


def test_workbook_short_name_prefers_the_workbook_over_a_global_workflow(api):
    define(
        api,
        """
version: '2.0'
helper:
  input: [n]
  output:
    squared: global
  tasks:
    t:
      action: std.noop
""",
    )
    assert api.post("/v2/workbooks", text=WORKBOOK).status_code == 201
    assert output(run(api, "wb.main"))["got"] == 9
