"""Expression functions in YAQL and Jinja (env, execution, task, tasks,
json/yaml helpers, uuid), env given as a stored environment's name,
evaluate_env, and expression errors that fail a task with a useful message
and never crash the engine."""

import json
import uuid

import pytest
import yaml
from engine_support import define, fault, output, run

YAQL = {
    "output_value": '<% {"k" => [1, 2]} %>',
    "env_a": "<% env().a %>",
    "ex_id": "<% execution().id %>",
    "ex_input": "<% execution().input %>",
    "ex_name": "<% execution().name %>",
    "first_result": "<% task(first).result %>",
    "first_state": "<% task(first).state %>",
    "own_name": "<% task().name %>",
    "task_names": "<% tasks().select($.name).orderBy($) %>",
    "success_names": "<% tasks(execution().id, false, SUCCESS).select($.name) %>",
    "parsed": "<% json_parse('{\"a\": [1, true]}') %>",
    "dumped": "<% json_parse(json_dump($.first_out)) %>",
    "yaml_parsed": "<% yaml_parse('b: [x, y]') %>",
    "yaml_dumped": "<% yaml_dump({b => 1}) %>",
    "an_uuid": "<% uuid() %>",
}

JINJA = {
    "output_value": '{{ {"k": [1, 2]} }}',
    "env_a": "{{ env().a }}",
    "ex_id": "{{ execution().id }}",
    "ex_input": "{{ execution().input }}",
    "ex_name": "{{ execution().name }}",
    "first_result": "{{ task('first').result }}",
    "first_state": "{{ task('first').state }}",
    "own_name": "{{ task().name }}",
    "task_names": "{{ tasks() | map(attribute='name') | sort | list }}",
    "success_names": "{{ tasks(execution().id, false, 'SUCCESS') | map(attribute='name') | list }}",
    "parsed": "{{ json_parse('{\"a\": [1, true]}') }}",
    "dumped": "{{ json_parse(json_dump(_.first_out)) }}",
    "yaml_parsed": "{{ yaml_parse('b: [x, y]') }}",
    "yaml_dumped": "{{ yaml_dump({'b': 1}) }}",
    "an_uuid": "{{ uuid() }}",
}


def _functions_wf(values):
    """The workflow as YAML built from data (the expressions need no quoting)."""
    probe = {k: v for k, v in values.items() if k != "output_value"}
    wf = {
        "input": [{"who": "ann"}],
        "tasks": {
            "first": {
                "action": "std.echo",
                "input": {"output": values["output_value"]},
                "publish": {"first_out": "<% task().result %>"},
                "on-success": "probe",
            },
            "probe": {"action": "std.noop", "publish": probe},
        },
        "output": {"all": "<% $ %>"},
    }
    return yaml.safe_dump({"version": "2.0", "functions": wf}, sort_keys=False)


@pytest.mark.parametrize("language", ["yaql", "jinja"])
def test_functions_in_both_languages(api, language):
    define(api, _functions_wf(YAQL if language == "yaql" else JINJA))
    ex = run(api, "functions", env={"a": {"deep": 1}})
    got = output(ex)["all"]
    assert got["first_out"] == {"k": [1, 2]}
    assert got["env_a"] == {"deep": 1}
    assert got["ex_id"] == ex["id"]
    assert got["ex_input"] == {"who": "ann"}
    assert got["ex_name"] == "functions"
    assert got["first_result"] == {"k": [1, 2]}
    assert got["first_state"] == "SUCCESS"
    assert got["own_name"] == "probe"
    assert got["task_names"] == ["first", "probe"]
    assert got["success_names"] == ["first"]
    assert got["parsed"] == {"a": [1, True]}
    assert got["dumped"] == {"k": [1, 2]}
    assert got["yaml_parsed"] == {"b": ["x", "y"]}
    assert got["yaml_dumped"] == "b: 1\n"
    assert str(uuid.UUID(got["an_uuid"])) == got["an_uuid"]
    assert got["who"] == "ann"


def test_tasks_recursive_sees_sub_workflow_tasks(api):
    define(
        api,
        """
version: '2.0'
rec_parent:
  tasks:
    call:
      workflow: rec_child
      on-success: look
    look:
      action: std.noop
      publish:
        flat: <% tasks(execution().id, true).select($.name).orderBy($) %>
        own: <% tasks().select($.name).orderBy($) %>
  output:
    flat: <% $.flat %>
    own: <% $.own %>
rec_child:
  tasks:
    inner:
      action: std.noop
""",
    )
    ex = run(api, "rec_parent")
    assert output(ex) == {"flat": ["call", "inner", "look"], "own": ["call", "look"]}


ENV_WF = """
version: '2.0'
env_reader:
  tasks:
    read:
      action: std.echo output=<% env() %>
      publish:
        env: <% task().result %>
  output:
    env: <% $.env %>
"""


def test_env_from_a_stored_environment_is_a_snapshot(api):
    define(api, ENV_WF)
    r = api.post("/v2/environments", {"name": "staging", "variables": json.dumps({"url": "http://a", "n": "<% 1 + 1 %>"})})
    assert r.status_code == 201, r.text
    ex = api.start("env_reader", env="staging")
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert output(ex) == {"env": {"url": "http://a", "n": 2}}
    assert json.loads(ex["params"])["env"] == {"url": "http://a", "n": 2}
    # Changing the stored environment does not change the execution's copy.
    r = api.put("/v2/environments", {"name": "staging", "variables": json.dumps({"url": "http://b"})})
    assert r.status_code == 200, r.text
    assert json.loads(api.execution(ex["id"])["params"])["env"]["url"] == "http://a"


def test_unknown_environment_name_is_400(api):
    define(api, ENV_WF)
    r = api.post("/v2/executions", {"workflow_name": "env_reader", "params": json.dumps({"env": "nope"})})
    assert "nope" in fault(r, 400)
    assert api.get("/v2/executions").json()["executions"] == []


def test_evaluate_env_false_keeps_expressions_raw(api):
    define(api, ENV_WF)
    env = {"raw": "<% 1 + 1 %>", "jinja": "{{ 2 * 3 }}"}
    evaluated = run(api, "env_reader", env=env)
    assert output(evaluated) == {"env": {"raw": 2, "jinja": 6}}
    raw = run(api, "env_reader", env=env, evaluate_env=False)
    assert output(raw) == {"env": env}
    assert json.loads(raw["params"])["evaluate_env"] is False


def test_env_expression_error_at_start_is_400(api):
    define(api, ENV_WF)
    r = api.post("/v2/executions", {"workflow_name": "env_reader", "params": json.dumps({"env": {"x": "<% $.nope.x %>"}})})
    msg = fault(r, 400)
    assert "nope" in msg


@pytest.mark.parametrize(
    "task_body, field, expression",
    [
        ("action: std.echo output=<% $.missing.key %>", "input", "$.missing.key"),
        ("action: std.echo\n      input:\n        output: '{{ _.nothing.here }}'", "input", "_.nothing.here"),
        ("action: std.noop\n      publish:\n        p: <% $.nope.x %>", "publish", "$.nope.x"),
        ("action: std.noop\n      with-items: i in <% $.nope.items %>", "with-items", "$.nope.items"),
        ("action: <% $.nope.action %>", "action", "$.nope.action"),
        ("action: std.noop\n      timeout: <% $.nope.t %>", "timeout", "$.nope.t"),
        ("action: std.noop\n      wait-before: <% $.nope.w %>", "wait-before", "$.nope.w"),
        ("action: std.noop\n      pause-before: <% $.nope.p %>", "pause-before", "$.nope.p"),
        ("workflow: <% $.nope.wf %>", "workflow", "$.nope.wf"),
        ("action: std.noop\n      retry:\n        count: <% $.nope.c %>\n        delay: 0", "retry.count", "$.nope.c"),
        ("action: std.noop\n      keep-result: <% $.nope.k %>", "keep-result", "$.nope.k"),
    ],
)
def test_expression_error_fails_the_task_naming_task_field_and_expression(api, task_body, field, expression):
    define(
        api,
        """
version: '2.0'
broken:
  tasks:
    the_task:
      %s
    sibling:
      action: std.echo output=ok
"""
        % task_body,
    )
    ex = run(api, "broken", expect=("ERROR",))
    tasks = api.tasks(ex["id"])
    info = tasks["the_task"]["state_info"]
    assert tasks["the_task"]["state"] == "ERROR"
    assert "the_task" in info and "'%s'" % field in info and expression in info, info
    assert tasks["sibling"]["state"] == "SUCCESS"
    assert "the_task" in ex["state_info"]
    # The engine is unharmed.
    define(api, "version: '2.0'\nfine:\n  tasks:\n    t:\n      action: std.noop\n")
    run(api, "fine")


def test_expression_errors_in_transitions_and_command_msg_fail_the_workflow(api):
    define(
        api,
        """
version: '2.0'
bad_msg:
  tasks:
    t:
      action: std.noop
      on-success:
        - fail(msg=<% $.nope.msg %>)
""",
    )
    ex = run(api, "bad_msg", expect=("ERROR",))
    assert "t" in ex["state_info"] and "$.nope.msg" in ex["state_info"]


def test_non_numeric_policy_values_fail_the_task(api):
    define(
        api,
        """
version: '2.0'
not_numbers:
  tasks:
    conc:
      with-items: x in [1, 2]
      concurrency: <% "many" %>
      action: std.noop
    wait:
      action: std.noop
      wait-before: <% "soon" %>
""",
    )
    ex = run(api, "not_numbers", expect=("ERROR",))
    tasks = api.tasks(ex["id"])
    assert "concurrency" in tasks["conc"]["state_info"]
    assert "wait-before" in tasks["wait"]["state_info"]
