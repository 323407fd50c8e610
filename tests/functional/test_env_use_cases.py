"""The headline: update env on task rerun and on workflow resume.

Each test is one of the six use cases of the issue, run against a real local
HTTP endpoint standing in for infrastructure (it accepts only the token
'good'), asserting the states and the values each task saw.
"""

import json

from functional_support import complete_async, env_of, load_workflow, rerun, resume


def _actions_of(api, ex_id, task_name):
    from functional_support import action_executions

    return action_executions(api, api.tasks(ex_id)[task_name]["id"])


def test_uc1_expired_token_rerun_with_fresh_token(api, endpoint):
    api.create_workflow(load_workflow("token_chain"))
    ex = api.start("token_chain", env={"url": endpoint.url, "token": "expired"})
    api.wait_state(ex["id"], "ERROR")
    failed = api.tasks(ex["id"])["call"]
    assert failed["state"] == "ERROR"

    r = rerun(api, failed["id"], env={"token": "good"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] in ("RUNNING", "SUCCESS")
    assert r.json()["id"] == failed["id"]

    ex = api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"prepared": "prepared", "status": 200, "after_token": "good"}
    # The succeeded task ran once; the failed one was rerun with the new token,
    # and the task after it saw the new token too.
    assert len(_actions_of(api, ex["id"], "prepare")) == 1
    assert endpoint.tokens_seen("/call") == ["Bearer expired", "Bearer good"]
    assert endpoint.tokens_seen("/after") == ["Bearer good"]
    # Old action executions stay, no longer accepted.
    call_actions = _actions_of(api, ex["id"], "call")
    assert [a["accepted"] for a in call_actions] == [False, True]
    # The env was merged, not replaced.
    assert env_of(api, ex["id"]) == {"url": endpoint.url, "token": "good"}


def test_uc2_endpoint_moved_rerun_with_new_url(api, endpoint):
    api.create_workflow(load_workflow("token_chain"))
    ex = api.start("token_chain", env={"url": "http://127.0.0.1:9", "token": "good"})
    api.wait_state(ex["id"], "ERROR")
    failed = api.tasks(ex["id"])["call"]
    assert "127.0.0.1:9" in failed["state_info"]

    assert rerun(api, failed["id"], env={"url": endpoint.url}).status_code == 200
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert [r["path"] for r in endpoint.requests] == ["/call", "/after"]
    assert env_of(api, ex["id"]) == {"url": endpoint.url, "token": "good"}


def test_uc3_pause_for_maintenance_then_resume_with_new_token(api, endpoint):
    api.create_workflow(load_workflow("pausable"))
    ex = api.start("pausable", env={"url": endpoint.url, "token": "expired"})
    api.wait_task_state(ex["id"], "hold", "RUNNING")
    r = api.put("/v2/executions/%s" % ex["id"], {"state": "PAUSED"})
    assert r.status_code == 200 and r.json()["state"] == "PAUSED", r.text

    # The held action finishes during maintenance: nothing new starts.
    complete_async(api, ex["id"], "hold")
    api.wait_task_state(ex["id"], "hold", "SUCCESS")
    assert api.execution(ex["id"])["state"] == "PAUSED"
    assert "call" not in api.tasks(ex["id"])

    r = resume(api, ex["id"], env={"token": "good"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "RUNNING"
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"token_used": "good"}
    assert endpoint.tokens_seen("/after-resume") == ["Bearer good"]


def test_uc4_rerun_task_deep_inside_sub_workflows(api, endpoint):
    api.create_workflow(load_workflow("nested"))
    ex = api.start("outer", env={"url": endpoint.url, "token": "expired"})
    api.wait_state(ex["id"], "ERROR")
    middle_task = api.tasks(ex["id"])["middle_call"]
    middle_ex = api.get("/v2/tasks/%s/workflow_executions" % middle_task["id"]).json()["executions"][0]
    inner_task = api.tasks(middle_ex["id"])["call_inner"]
    inner_ex = api.get("/v2/tasks/%s/workflow_executions" % inner_task["id"]).json()["executions"][0]
    assert middle_ex["state"] == "ERROR" and inner_ex["state"] == "ERROR"
    failed = api.tasks(inner_ex["id"])["call"]
    assert failed["state"] == "ERROR"

    r = rerun(api, failed["id"], env={"token": "good"})
    assert r.status_code == 200, r.text
    # The env landed on the ROOT execution, where env() reads it.
    assert env_of(api, ex["id"])["token"] == "good"
    assert json.loads(api.execution(inner_ex["id"])["params"])["env"] == {}

    ex = api.wait_state(ex["id"], "SUCCESS")
    assert api.execution(middle_ex["id"])["state"] == "SUCCESS"
    assert api.execution(inner_ex["id"])["state"] == "SUCCESS"
    assert json.loads(ex["output"]) == {"before_token": "expired", "inner_result": {"from_inner": {"token_used": "good"}}}
    assert endpoint.tokens_seen("/inner") == ["Bearer expired", "Bearer good"]


def test_uc5_rerun_while_other_branch_still_runs(api, endpoint):
    api.create_workflow(load_workflow("two_branches"))
    ex = api.start("two_branches", env={"url": endpoint.url, "token": "expired"})
    api.wait_task_state(ex["id"], "fast", "ERROR")
    api.wait_task_state(ex["id"], "slow", "RUNNING")
    assert api.execution(ex["id"])["state"] == "RUNNING"

    failed = api.tasks(ex["id"])["fast"]
    r = rerun(api, failed["id"], env={"token": "good"})
    assert r.status_code == 200, r.text
    api.wait_task_state(ex["id"], "fast", "SUCCESS")
    assert api.execution(ex["id"])["state"] == "RUNNING"

    complete_async(api, ex["id"], "slow")
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"fast_token": "good", "after_slow_token": "good"}


def test_uc6_resume_paused_tree_with_new_env(api, endpoint):
    api.create_workflow(load_workflow("pausable"))
    ex = api.start("pausable_parent", env={"url": endpoint.url, "token": "expired"})
    api.wait_task_state(ex["id"], "sibling_hold", "RUNNING")
    child_task = api.wait_task_state(ex["id"], "child", "RUNNING")
    child_ex = api.get("/v2/tasks/%s/workflow_executions" % child_task["id"]).json()["executions"][0]
    api.wait_task_state(child_ex["id"], "hold", "RUNNING")

    assert api.put("/v2/executions/%s" % ex["id"], {"state": "PAUSED"}).status_code == 200
    assert api.execution(child_ex["id"])["state"] == "PAUSED"

    r = resume(api, ex["id"], env={"token": "good"})
    assert r.status_code == 200, r.text
    assert api.execution(child_ex["id"])["state"] == "RUNNING"

    complete_async(api, child_ex["id"], "hold")
    complete_async(api, ex["id"], "sibling_hold")
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"child_out": {"token_used": "good"}, "sibling_token": "good"}


def test_rerun_of_join_branch_reuses_the_join_task(api):
    api.create_workflow(
        """
version: '2.0'
join_rerun:
  tasks:
    left:
      action: std.echo output=left
      on-success: [joined]
    right:
      action: std.echo output=<% env().token %>
      fail-on: <% env().token != 'good' %>
      on-success: [joined]
    joined:
      join: all
      action: std.echo output=<% env().token %>
      publish:
        seen: <% task().result %>
  output:
    seen: <% $.seen %>
"""
    )
    ex = api.start("join_rerun", env={"token": "expired"})
    api.wait_state(ex["id"], "ERROR")
    failed = api.tasks(ex["id"])["right"]
    assert rerun(api, failed["id"], env={"token": "good"}).status_code == 200
    ex = api.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"seen": "good"}
    names = [t["name"] for t in api.task_list(ex["id"])]
    assert sorted(names) == ["joined", "left", "right"]


def test_sub_executions_and_report_of_a_tree(api, endpoint):
    api.create_workflow(load_workflow("nested"))
    ex = api.start("outer", env={"url": endpoint.url, "token": "expired"})
    api.wait_state(ex["id"], "ERROR")
    subs = api.get("/v2/executions/%s/executions" % ex["id"]).json()["executions"]
    assert [s["workflow_name"] for s in subs] == ["middle", "inner"]
    assert [s["workflow_name"] for s in api.get("/v2/executions/%s/executions?max_depth=1" % ex["id"]).json()["executions"]] == ["middle"]
    middle_task = api.tasks(ex["id"])["middle_call"]
    assert len(api.get("/v2/tasks/%s/executions" % middle_task["id"]).json()["executions"]) == 2
    report = api.get("/v2/executions/%s/report" % ex["id"]).json()
    assert report["statistics"]["error_tasks_count"] == 3
    assert report["statistics"]["success_tasks_count"] == 1
    root = report["root_workflow_execution"]
    assert root["state"] == "ERROR"
    middle = [t for t in root["task_executions"] if t["name"] == "middle_call"][0]
    assert middle["workflow_executions"][0]["task_executions"][0]["name"] == "call_inner"
    assert api.get("/v2/executions/%s/report?max_depth=x" % ex["id"]).status_code == 400
    bad = api.get("/v2/executions/%s/executions?errors_only=maybe" % ex["id"])
    assert bad.status_code == 400 and "errors_only" in bad.json()["faultstring"]
    bad = api.delete("/v2/executions/%s?force=perhaps" % ex["id"])
    assert bad.status_code == 400 and "force" in bad.json()["faultstring"]
    assert api.get("/v2/tasks/%s/executions?max_depth=deep" % middle_task["id"]).status_code == 400
