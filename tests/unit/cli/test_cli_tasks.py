"""``task-*`` and ``action-execution-*`` commands against the stub API."""

import json


def test_task_list_of_execution(api, cli, canned):
    path = f"/v2/executions/{canned.EX_ID}/tasks"
    api.reply("GET", path, {"tasks": [canned.task(id="t2"), canned.task(id="t1")]})

    res = cli("task-list", canned.EX_ID, "-f", "json")

    assert res.code == 0, res
    req = api.only()
    assert req.path == path
    assert req.query["sort_dirs"] == "desc"
    assert req.query["fields"] == (
        "id,name,workflow_name,workflow_namespace,workflow_execution_id,state,state_info,created_at,started_at,finished_at"
    )
    assert [t["ID"] for t in res.json()] == ["t1", "t2"]


def test_task_list_all(api, cli, canned):
    api.reply("GET", "/v2/tasks", {"tasks": [canned.task()]})

    res = cli("task-list", "--filter", "state=ERROR", "-f", "json")

    assert res.code == 0, res
    assert api.only().query["state"] == "ERROR"


def test_task_get(api, cli, canned):
    api.reply("GET", f"/v2/tasks/{canned.TASK_ID}", canned.task())

    res = cli("task-get", canned.TASK_ID, "-f", "json")

    assert res.json() == {
        "ID": canned.TASK_ID,
        "Name": "t1",
        "Workflow name": "wf",
        "Workflow namespace": "",
        "Workflow Execution ID": canned.EX_ID,
        "State": "ERROR",
        "State info": "Failed to run action",
        "Created at": "2024-05-01 10:00:00",
        "Started at": "2024-05-01 10:00:00",
        "Finished at": "2024-05-01 10:00:07",
        "Duration": "0:00:07",
    }


def test_task_get_value_format_and_column(api, cli, canned):
    api.reply("GET", f"/v2/tasks/{canned.TASK_ID}", canned.task())

    res = cli("task-get", canned.TASK_ID, "-f", "value", "-c", "State info")

    assert res.out == "Failed to run action\n"


def test_task_get_result_and_published(api, cli, canned):
    api.reply("GET", f"/v2/tasks/{canned.TASK_ID}", canned.task())

    result = cli("task-get-result", canned.TASK_ID)
    published = cli("task-get-published", canned.TASK_ID)

    assert result.out == '{\n    "status": 503\n}\n'
    assert published.out == '{\n    "token": "abc"\n}\n'


def test_task_rerun_defaults_to_reset(api, cli, canned):
    api.reply(
        "PUT",
        f"/v2/tasks/{canned.TASK_ID}",
        canned.task(state="RUNNING", state_info=None),
    )

    res = cli("task-rerun", canned.TASK_ID, "-f", "json")

    assert res.code == 0, res
    assert api.only().json() == {
        "id": canned.TASK_ID,
        "state": "RUNNING",
        "reset": True,
    }
    assert res.json()["State"] == "RUNNING"


def test_task_rerun_resume_with_env_string(api, cli, canned):
    api.reply("PUT", f"/v2/tasks/{canned.TASK_ID}", canned.task(state="RUNNING"))

    res = cli("task-rerun", canned.TASK_ID, "--resume", "-e", '{"url": "http://b"}')

    assert res.code == 0, res
    body = api.only().json()
    assert body["reset"] is False
    assert isinstance(body["env"], str)
    assert json.loads(body["env"]) == {"url": "http://b"}


def test_task_rerun_env_from_yaml_file(api, cli, canned, tmp_path):
    env = tmp_path / "env.yml"
    env.write_text("url: http://b\n")
    api.reply("PUT", f"/v2/tasks/{canned.TASK_ID}", canned.task(state="RUNNING"))

    res = cli("task-rerun", canned.TASK_ID, "--env", str(env))

    assert res.code == 0, res
    assert json.loads(api.only().json()["env"]) == {"url": "http://b"}


def test_task_rerun_env_must_be_object(api, cli, canned):
    res = cli("task-rerun", canned.TASK_ID, "-e", "just-a-name")

    assert res.code == 1
    assert res.err == "ERROR: Env (just-a-name) must be a JSON/YAML object\n"
    assert api.requests == []


def test_task_rerun_paused_conflict(api, cli, canned):
    api.fault(
        "PUT", f"/v2/tasks/{canned.TASK_ID}", 409, "Workflow execution [id=x] is PAUSED"
    )

    res = cli("task-rerun", canned.TASK_ID)

    assert (res.code, res.out) == (1, "")
    assert res.err == "ERROR (HTTP 409): Workflow execution [id=x] is PAUSED\n"


def test_task_skip(api, cli, canned):
    api.reply("PUT", f"/v2/tasks/{canned.TASK_ID}", canned.task(state="SKIPPED"))

    res = cli("task-skip", canned.TASK_ID, "-f", "json")

    assert res.code == 0, res
    assert api.only().json() == {"state": "SKIPPED"}
    assert res.json()["State"] == "SKIPPED"


def test_task_skip_not_in_error(api, cli, canned):
    api.fault(
        "PUT", f"/v2/tasks/{canned.TASK_ID}", 400, "Task [id=x] is SUCCESS, not ERROR"
    )

    res = cli("task-skip", canned.TASK_ID)

    assert res.code == 1
    assert res.err == "ERROR (HTTP 400): Task [id=x] is SUCCESS, not ERROR\n"


# -- action executions -------------------------------------------------------


def test_action_execution_list_of_task(api, cli, canned):
    path = f"/v2/tasks/{canned.TASK_ID}/action_executions"
    api.reply("GET", path, {"action_executions": [canned.action_execution()]})

    res = cli("action-execution-list", canned.TASK_ID, "-f", "json")

    assert res.code == 0, res
    assert "fields" not in api.only().query
    (row,) = res.json()
    assert "State info" not in row
    assert row["Task ID"] == canned.TASK_ID
    assert row["Updated at"] == "<none>"


def test_action_execution_list_all(api, cli, canned):
    api.reply("GET", "/v2/action_executions", {"action_executions": []})

    res = cli("action-execution-list", "--oldest", "-f", "json")

    assert res.json() == []
    assert api.only().query["sort_dirs"] == "asc"


def test_action_execution_get(api, cli, canned):
    api.reply(
        "GET", f"/v2/action_executions/{canned.AEX_ID}", canned.action_execution()
    )

    res = cli("action-execution-get", canned.AEX_ID, "-f", "json")

    out = res.json()
    assert out["Name"] == "std.http"
    assert out["State info"] is None
    assert out["Accepted"] is False


def test_action_execution_update_output_object(api, cli, canned):
    api.reply(
        "PUT",
        f"/v2/action_executions/{canned.AEX_ID}",
        canned.action_execution(state="SUCCESS"),
    )

    res = cli(
        "action-execution-update",
        canned.AEX_ID,
        "--state",
        "SUCCESS",
        "--output",
        '{"r": 1}',
    )

    assert res.code == 0, res
    assert api.only().json() == {"state": "SUCCESS", "output": {"r": 1}}


def test_action_execution_update_needs_something(api, cli, canned):
    res = cli("action-execution-update", canned.AEX_ID)

    assert res.code == 1
    assert res.err.startswith("ERROR: Please provide either state or output")


def test_action_execution_input_output_delete(api, cli, canned):
    path = f"/v2/action_executions/{canned.AEX_ID}"
    api.reply("GET", path, canned.action_execution())
    api.reply("DELETE", path, None, 204)

    inp = cli("action-execution-get-input", canned.AEX_ID)
    out = cli("action-execution-get-output", canned.AEX_ID)
    deleted = cli("action-execution-delete", canned.AEX_ID)

    assert inp.out == '{\n    "url": "http://a"\n}\n'
    assert out.out == '{\n    "result": 1\n}\n'
    assert (
        deleted.out
        == f"Request to delete action execution {canned.AEX_ID} has been accepted.\n"
    )
