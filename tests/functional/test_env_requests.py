"""Every row of DESIGN.md's two request tables (PUT /v2/executions/<id> and
PUT /v2/tasks/<id>), their check order, and bad input. Refused requests must
leave the database unchanged: each asserts it."""

import json

import pytest
from functional_support import action_executions, at_once, complete_async, env_of, load_workflow, race_pause_and_resume, rerun, resume


@pytest.fixture
def gate(api):
    api.create_workflow(load_workflow("env_probe"))
    return api


def _snapshot(api, ex_id):
    """Everything an operator could observe of an execution."""
    ex = api.execution(ex_id)
    tasks = api.task_list(ex_id)
    actions = {t["id"]: action_executions(api, t["id"]) for t in tasks}
    return ex, tasks, actions


def _failed(api, wf="gate", env=None):
    ex = api.start(wf, env=env or {"token": "expired", "nested": {"a": 1, "b": [1, 2]}})
    api.wait_task_state(ex["id"], "guarded", "ERROR")
    return ex["id"], api.tasks(ex["id"])["guarded"]


def _fault(r, code):
    assert r.status_code == code, r.text
    body = r.json()
    assert set(body) == {"faultcode", "faultstring", "debuginfo"}
    assert body["faultcode"] == ("Client" if code < 500 else "Server")
    return body["faultstring"]


def _paused(api):
    ex = api.start("gate_branches", env={"token": "expired"})
    api.wait_task_state(ex["id"], "hold", "RUNNING")
    api.wait_task_state(ex["id"], "guarded", "ERROR")
    assert api.put("/v2/executions/%s" % ex["id"], {"state": "PAUSED"}).status_code == 200
    return ex["id"]


# -- PUT /v2/executions/<id> ---------------------------------------------------


def test_resume_paused_with_env_merges_and_resumes(gate):
    ex_id = _paused(gate)
    r = resume(gate, ex_id, env={"token": "good", "extra": 1})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "RUNNING"
    assert json.loads(r.json()["params"])["env"] == {"token": "good", "extra": 1}
    complete_async(gate, ex_id, "hold")
    # 'guarded' failed before the resume and is not rerun by a resume.
    assert gate.wait_state(ex_id, "ERROR")["state"] == "ERROR"


def test_env_only_update_on_paused_keeps_state(gate):
    ex_id = _paused(gate)
    r = gate.put("/v2/executions/%s" % ex_id, {"params": {"env": {"token": "good"}}})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "PAUSED"
    assert env_of(gate, ex_id)["token"] == "good"


def test_env_only_update_on_error_keeps_state_and_deep_merges(gate):
    ex_id, _ = _failed(gate)
    r = gate.put("/v2/executions/%s" % ex_id, {"params": json.dumps({"env": {"token": "good", "nested": {"b": [3]}}})})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "ERROR"
    # Nested objects merge key by key; lists are replaced; keys never deleted.
    assert env_of(gate, ex_id) == {"token": "good", "nested": {"a": 1, "b": [3]}}


@pytest.mark.parametrize("final", ["RUNNING", "SUCCESS", "CANCELLED"])
def test_env_only_update_refused_when_running_or_finished(gate, final):
    ex = gate.start("gate_branches", env={"token": "good"})
    gate.wait_task_state(ex["id"], "hold", "RUNNING")
    if final == "SUCCESS":
        complete_async(gate, ex["id"], "hold")
        gate.wait_state(ex["id"], "SUCCESS")
    elif final == "CANCELLED":
        assert gate.put("/v2/executions/%s" % ex["id"], {"state": "CANCELLED"}).status_code == 200
    before = _snapshot(gate, ex["id"])
    message = _fault(gate.put("/v2/executions/%s" % ex["id"], {"params": {"env": {"token": "new"}}}), 403)
    assert final in message
    assert _snapshot(gate, ex["id"]) == before


def test_env_as_stored_environment_name_is_merged(gate):
    r = gate.post("/v2/environments", {"name": "prod", "variables": json.dumps({"token": "good", "region": "b"})})
    assert r.status_code == 201, r.text
    ex_id, _ = _failed(gate)
    r = gate.put("/v2/executions/%s" % ex_id, {"params": {"env": "prod"}})
    assert r.status_code == 200, r.text
    assert env_of(gate, ex_id) == {"token": "good", "region": "b", "nested": {"a": 1, "b": [1, 2]}}


def test_unknown_stored_environment_name_is_400(gate):
    ex_id, _ = _failed(gate)
    before = _snapshot(gate, ex_id)
    assert "nope" in _fault(gate.put("/v2/executions/%s" % ex_id, {"params": {"env": "nope"}}), 400)
    assert _snapshot(gate, ex_id) == before


@pytest.mark.parametrize(
    "body, words",
    [
        ({"state": "PAUSED", "params": {"env": {"a": 1}}}, ["env", "RUNNING"]),
        ({"state": "ERROR", "params": {"env": {"a": 1}}}, ["env", "RUNNING"]),
        ({"state": "RUNNING", "description": "x"}, ["description", "state"]),
        ({}, ["Nothing to update"]),
        ({"state": "IDLE"}, ["state", "IDLE"]),
        ({"state": "BOGUS"}, ["state", "BOGUS"]),
        ({"params": {"env": [1, 2]}}, ["params.env"]),
        ({"params": {"env": 5}}, ["params.env"]),
        ({"params": "{not json"}, ["params", "JSON"]),
        ({"params": {"other": 1}}, ["params.other"]),
        ({"state": "RUNNING", "colour": "red"}, ["colour"]),
        ({"state": 5}, ["state"]),
    ],
)
def test_bad_execution_updates_are_400_and_change_nothing(gate, body, words):
    ex_id = _paused(gate)
    before = _snapshot(gate, ex_id)
    message = _fault(gate.put("/v2/executions/%s" % ex_id, body), 400)
    for word in words:
        assert word in message
    assert _snapshot(gate, ex_id) == before


@pytest.mark.parametrize("final", ["SUCCESS", "ERROR"])
def test_resume_of_not_paused_execution_is_409_with_advice(gate, final):
    if final == "SUCCESS":
        ex = gate.start("gate", env={"token": "good"})
        ex_id = gate.wait_state(ex["id"], "SUCCESS")["id"]
    else:
        ex_id, _ = _failed(gate)
    before = _snapshot(gate, ex_id)
    message = _fault(resume(gate, ex_id, env={"token": "x"}), 409)
    assert final in message and "PAUSED" in message
    assert _snapshot(gate, ex_id) == before


def test_execution_update_unknown_id_is_404(gate):
    _fault(gate.put("/v2/executions/00000000-0000-4000-8000-000000000000", {"state": "RUNNING"}), 404)


def test_env_update_is_evaluated_against_merged_env(gate):
    ex_id, _ = _failed(gate, env={"token": "expired", "base": "http://h"})
    r = gate.put("/v2/executions/%s" % ex_id, {"params": {"env": {"url": "<% env().base %>/v2"}}})
    assert r.status_code == 200, r.text
    assert env_of(gate, ex_id)["url"] == "http://h/v2"


def test_env_update_expression_error_is_400_and_changes_nothing(gate):
    ex_id, _ = _failed(gate)
    before = _snapshot(gate, ex_id)
    _fault(gate.put("/v2/executions/%s" % ex_id, {"params": {"env": {"url": "<% env().missing.x %>"}}}), 400)
    assert _snapshot(gate, ex_id) == before


def test_env_update_raw_when_evaluate_env_false(gate):
    ex = gate.start("gate", env={"token": "expired"}, evaluate_env=False)
    gate.wait_task_state(ex["id"], "guarded", "ERROR")
    r = gate.put("/v2/executions/%s" % ex["id"], {"params": {"env": {"url": "<% env().token %>"}}})
    assert r.status_code == 200, r.text
    assert env_of(gate, ex["id"])["url"] == "<% env().token %>"


def test_env_over_size_limit_is_400(server_factory):
    api = server_factory(options={("engine", "execution_field_size_limit_kb"): 1}).api
    api.create_workflow(load_workflow("env_probe"))
    ex_id, task = _failed(api)
    before = _snapshot(api, ex_id)
    message = _fault(api.put("/v2/executions/%s" % ex_id, {"params": {"env": {"blob": "x" * 4096}}}), 400)
    assert "env" in message and "limit" in message
    _fault(rerun(api, task["id"], env={"blob": "x" * 4096}), 400)
    assert _snapshot(api, ex_id) == before


# -- PUT /v2/tasks/<id> --------------------------------------------------------


def test_rerun_response_shows_new_state_and_execution_running(gate):
    ex_id, task = _failed(gate)
    r = rerun(gate, task["id"], env={"token": "good"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] != "ERROR"
    assert gate.execution(ex_id)["state"] in ("RUNNING", "SUCCESS")
    ex = gate.wait_state(ex_id, "SUCCESS")
    assert json.loads(ex["output"]) == {"used": "good", "follow_token": "good"}


def test_rerun_env_as_object_is_accepted(gate):
    ex_id, task = _failed(gate)
    assert rerun(gate, task["id"], env={"token": "good"}, as_string=False).status_code == 200
    gate.wait_state(ex_id, "SUCCESS")


def test_rerun_without_env_reruns_with_the_same_env(gate):
    ex_id, task = _failed(gate)
    gate.put("/v2/executions/%s" % ex_id, {"params": {"env": {"token": "good"}}})
    assert rerun(gate, task["id"]).status_code == 200
    gate.wait_state(ex_id, "SUCCESS")


def test_rerun_clears_retry_counters(gate):
    gate.create_workflow(
        """
version: '2.0'
retrying:
  tasks:
    guarded:
      action: std.echo output=<% env().token %>
      fail-on: <% env().token != 'good' %>
      retry:
        count: 2
        delay: 0
"""
    )
    ex = gate.start("retrying", env={"token": "expired"})
    task = gate.wait_task_state(ex["id"], "guarded", "ERROR")
    assert len(action_executions(gate, task["id"])) == 3
    assert json.loads(task["runtime_context"])["retry_no"] == 2
    r = rerun(gate, task["id"], env={"token": "still-bad"})
    assert r.status_code == 200
    task = gate.wait_task_state(ex["id"], "guarded", "ERROR")
    # The rerun got its full retry budget again: 3 more attempts.
    assert len(action_executions(gate, task["id"])) == 6


def test_skip_failed_task_follows_on_skip_and_on_success(gate):
    ex = gate.start("gate_skippable", env={"token": "expired"})
    task = gate.wait_task_state(ex["id"], "guarded", "ERROR")
    r = gate.put("/v2/tasks/%s" % task["id"], {"state": "SKIPPED"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "SKIPPED"
    ex = gate.wait_state(ex["id"], "SUCCESS")
    assert json.loads(ex["output"]) == {"branch": "success-branch", "skip_branch": "skip-branch"}


@pytest.mark.parametrize(
    "body, words",
    [
        ({"state": "RUNNING"}, ["reset"]),
        ({"reset": True}, ["state"]),
        ({"state": "PAUSED", "reset": True}, ["state", "PAUSED"]),
        ({"state": "RUNNING", "reset": False}, ["reset", "with-items"]),
        ({"state": "RUNNING", "reset": True, "env": "[1, 2]"}, ["env"]),
        ({"state": "RUNNING", "reset": True, "env": "{bad json"}, ["env", "JSON"]),
        ({"state": "RUNNING", "reset": "maybe"}, ["reset"]),
        ({"state": "RUNNING", "reset": True, "name": "other"}, ["name"]),
        ({"state": "RUNNING", "reset": True, "workflow_name": "other"}, ["workflow_name"]),
        ({"state": "RUNNING", "reset": True, "colour": "red"}, ["colour"]),
    ],
)
def test_bad_reruns_are_400_and_change_nothing(gate, body, words):
    ex_id, task = _failed(gate)
    before = _snapshot(gate, ex_id)
    message = _fault(gate.put("/v2/tasks/%s" % task["id"], body), 400)
    for word in words:
        assert word in message
    assert _snapshot(gate, ex_id) == before


def test_rerun_accepts_matching_id_name_and_workflow_name(gate):
    ex_id, task = _failed(gate)
    body = {"id": task["id"], "name": "guarded", "workflow_name": "gate", "state": "RUNNING", "reset": True,
            "env": json.dumps({"token": "good"})}
    assert gate.put("/v2/tasks/%s" % task["id"], body).status_code == 200
    gate.wait_state(ex_id, "SUCCESS")


def test_rerun_of_succeeded_task_is_400(gate):
    ex = gate.start("gate", env={"token": "good"})
    gate.wait_state(ex["id"], "SUCCESS")
    task = gate.tasks(ex["id"])["guarded"]
    before = _snapshot(gate, ex["id"])
    assert "SUCCESS" in _fault(rerun(gate, task["id"], env={"token": "x"}), 400)
    assert _snapshot(gate, ex["id"]) == before


def test_rerun_in_paused_execution_is_409(gate):
    ex_id = _paused(gate)
    task = gate.tasks(ex_id)["guarded"]
    before = _snapshot(gate, ex_id)
    assert "PAUSED" in _fault(rerun(gate, task["id"], env={"token": "good"}), 409)
    assert _snapshot(gate, ex_id) == before


def test_rerun_with_env_in_succeeded_execution_is_403_without_env_400(gate):
    ex = gate.start("gate_handled", env={"token": "expired"})
    gate.wait_state(ex["id"], "SUCCESS")
    task = gate.tasks(ex["id"])["guarded"]
    assert task["state"] == "ERROR"
    before = _snapshot(gate, ex["id"])
    assert "SUCCESS" in _fault(rerun(gate, task["id"], env={"token": "good"}), 403)
    assert "SUCCESS" in _fault(rerun(gate, task["id"]), 400)
    assert _snapshot(gate, ex["id"]) == before


def test_rerun_with_env_in_cancelled_execution_is_403(gate):
    ex = gate.start("gate_branches", env={"token": "expired"})
    task = gate.wait_task_state(ex["id"], "guarded", "ERROR")
    gate.wait_task_state(ex["id"], "hold", "RUNNING")
    assert gate.put("/v2/executions/%s" % ex["id"], {"state": "CANCELLED"}).status_code == 200
    before = _snapshot(gate, ex["id"])
    assert "CANCELLED" in _fault(rerun(gate, task["id"], env={"token": "good"}), 403)
    assert _snapshot(gate, ex["id"]) == before


def test_rerun_unknown_id_is_404_before_body_checks(gate):
    _fault(gate.put("/v2/tasks/00000000-0000-4000-8000-000000000000", {"bogus": 1}), 404)


def test_check_order_task_state_before_reset_rules(gate):
    ex = gate.start("gate", env={"token": "good"})
    gate.wait_state(ex["id"], "SUCCESS")
    task = gate.tasks(ex["id"])["guarded"]
    message = _fault(gate.put("/v2/tasks/%s" % task["id"], {"state": "RUNNING", "reset": False}), 400)
    assert "SUCCESS" in message


def test_same_rerun_twice_at_once_reruns_once(gate):
    ex_id, task = _failed(gate)
    responses = at_once(*[lambda: rerun(gate, task["id"], env={"token": "good"})] * 2)
    codes = [r.status_code for r in responses]
    assert sorted(codes) == [200, 400]
    gate.wait_state(ex_id, "SUCCESS")
    assert len(action_executions(gate, task["id"])) == 2


def test_resume_racing_pause_ends_consistent(gate):
    gate.create_workflow(load_workflow("pausable"))
    ex = gate.start("pausable_parent", env={"token": "t", "url": "http://127.0.0.1:9"})
    child_task = gate.wait_task_state(ex["id"], "child", "RUNNING")
    child = gate.get("/v2/tasks/%s/workflow_executions" % child_task["id"]).json()["executions"][0]
    race_pause_and_resume(gate, ex["id"], child["id"])
    if gate.execution(ex["id"])["state"] == "PAUSED":
        assert resume(gate, ex["id"]).status_code == 200
    assert gate.execution(child["id"])["state"] == "RUNNING"
