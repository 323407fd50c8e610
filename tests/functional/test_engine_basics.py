"""The engine through the API: direct workflows, publish, env(), errors."""

import json

from functional_support import load_workflow


def test_sequential_workflow_publishes_and_outputs(api):
    api.create_workflow(
        """
version: '2.0'
seq:
  input: [name]
  tasks:
    t1:
      action: std.echo output="Hello <% $.name %>"
      publish:
        greeting: <% task().result %>
      on-success: [t2]
    t2:
      action: std.echo
      input:
        output: <% $.greeting %>!
      publish:
        shout: <% task().result %>
  output:
    final: <% $.shout %>
"""
    )
    ex = api.start("seq", {"name": "Ann"})
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"final": "Hello Ann!"}
    tasks = api.tasks(ex["id"])
    assert tasks["t1"]["state"] == "SUCCESS"
    assert json.loads(tasks["t1"]["published"]) == {"greeting": "Hello Ann"}
    assert json.loads(tasks["t2"]["result"]) == "Hello Ann!"


def test_env_driven_http_calls_succeed(api, endpoint):
    api.create_workflow(load_workflow("token_chain"))
    ex = api.start("token_chain", env={"url": endpoint.url, "token": "good"})
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"prepared": "prepared", "status": 200, "after_token": "good"}
    assert endpoint.tokens_seen() == ["Bearer good", "Bearer good"]


def test_failed_action_fails_task_and_workflow(api, endpoint):
    api.create_workflow(load_workflow("token_chain"))
    ex = api.start("token_chain", env={"url": endpoint.url, "token": "expired"})
    ex = api.wait_state(ex["id"], "ERROR")
    tasks = api.tasks(ex["id"])
    assert tasks["prepare"]["state"] == "SUCCESS"
    assert tasks["call"]["state"] == "ERROR"
    assert "401" in tasks["call"]["state_info"]
    assert "after" not in tasks
    assert "call" in ex["state_info"]


def test_on_error_branch_handles_failure(api):
    api.create_workflow(
        """
version: '2.0'
handled:
  tasks:
    boom:
      action: std.fail
      on-error: [recover]
    recover:
      action: std.echo output="recovered"
      publish:
        r: <% task().result %>
  output:
    r: <% $.r %>
"""
    )
    ex = api.wait_state(api.start("handled")["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"r": "recovered"}
    assert api.tasks(ex["id"])["boom"]["state"] == "ERROR"


def test_expression_error_fails_task_with_message(api):
    api.create_workflow(
        """
version: '2.0'
bad_expr:
  tasks:
    t1:
      action: std.echo output=<% $.missing.key %>
"""
    )
    ex = api.wait_state(api.start("bad_expr")["id"], "ERROR")
    task = api.tasks(ex["id"])["t1"]
    assert task["state"] == "ERROR"
    assert "t1" in task["state_info"] and "missing" in task["state_info"]


def test_sub_workflow_sees_root_env(api):
    api.create_workflow(
        """
version: '2.0'
parent:
  tasks:
    call_child:
      workflow: child
      input:
        x: 2
      publish:
        child_out: <% task().result %>
  output:
    got: <% $.child_out %>
child:
  input: [x]
  tasks:
    read:
      action: std.echo output=<% env().secret %>
      publish:
        secret: <% task().result %>
  output:
    secret: <% $.secret %>
    x: <% $.x %>
"""
    )
    ex = api.wait_state(api.start("parent", env={"secret": "s3"})["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"got": {"secret": "s3", "x": 2}}
    task = api.tasks(ex["id"])["call_child"]
    subs = api.get("/v2/tasks/%s/workflow_executions" % task["id"]).json()["executions"]
    assert len(subs) == 1
    assert json.loads(subs[0]["params"])["env"] == {}


def test_join_waits_for_all_branches(api):
    api.create_workflow(
        """
version: '2.0'
joined:
  tasks:
    a:
      action: std.echo output=1
      publish: {a: <% task().result %>}
      on-success: [j]
    b:
      action: std.echo output=2
      publish: {b: <% task().result %>}
      on-success: [j]
    j:
      join: all
      action: std.echo output=<% $.a + $.b %>
      publish: {sum: <% task().result %>}
  output:
    sum: <% $.sum %>
"""
    )
    ex = api.wait_state(api.start("joined")["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"sum": 3}
    assert [t["name"] for t in api.task_list(ex["id"])].count("j") == 1


def test_with_items_results_in_order(api):
    api.create_workflow(
        """
version: '2.0'
items:
  input: [xs]
  tasks:
    each:
      with-items: x in <% $.xs %>
      concurrency: 2
      action: std.echo output=<% $.x * 10 %>
      publish: {out: <% task().result %>}
  output:
    out: <% $.out %>
"""
    )
    ex = api.wait_state(api.start("items", {"xs": [1, 2, 3, 4, 5]})["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"out": [10, 20, 30, 40, 50]}


def test_echo_with_delay_goes_through_the_executor(api):
    api.create_workflow(
        """
version: '2.0'
delayed_echo:
  tasks:
    t:
      action: std.echo output=late delay=0.05
      publish: {r: <% task().result %>}
  output:
    r: <% $.r %>
"""
    )
    ex = api.wait_state(api.start("delayed_echo")["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"r": "late"}
    task = api.tasks(ex["id"])["t"]
    action = api.get("/v2/tasks/%s/action_executions" % task["id"]).json()["action_executions"][0]
    assert json.loads(action["input"]) == {"output": "late", "delay": 0.05}


def test_run_action_outside_workflows(api, endpoint):
    r = api.post("/v2/action_executions", {"name": "std.echo", "input": {"output": "hi"}, "params": {"run_sync": True}})
    assert r.status_code == 201, r.text
    assert r.json()["state"] == "SUCCESS" and json.loads(r.json()["output"]) == {"result": "hi"}
    r = api.post(
        "/v2/action_executions",
        {"name": "std.http", "input": json.dumps({"url": endpoint.url + "/x", "headers": {"Authorization": "Bearer good"}}), "params": json.dumps({"run_sync": True})},
    )
    assert r.status_code == 201, r.text
    assert json.loads(r.json()["output"])["result"]["status"] == 200
    r = api.post("/v2/action_executions", {"name": "std.async_noop"})
    assert r.status_code == 201 and r.json()["state"] == "RUNNING"
    done = api.put("/v2/action_executions/%s" % r.json()["id"], {"state": "SUCCESS", "output": "{\"a\": 1}"})
    assert done.status_code == 200 and json.loads(done.json()["output"]) == {"result": {"a": 1}}
    assert api.post("/v2/action_executions", {"name": "std.nope"}).status_code == 400
    assert api.post("/v2/action_executions", {"name": "std.echo", "input": {"bogus": 1}}).status_code == 400
    assert api.post("/v2/action_executions", {"input": {}}).status_code == 400


def test_reverse_workflows_are_refused_clearly(api):
    api.create_workflow(
        """
version: '2.0'
rev:
  type: reverse
  tasks:
    a:
      action: std.noop
    b:
      action: std.noop
      requires: [a]
"""
    )
    r = api.post("/v2/executions", {"workflow_name": "rev"})
    assert r.status_code == 400
    assert "reverse" in r.json()["faultstring"]
    assert api.get("/v2/executions").json()["executions"] == []
