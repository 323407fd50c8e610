"""``execution-*`` commands, including our ``--wait``, against the stub."""

import json


def test_create_sends_json_strings(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)

    res = cli(
        "execution-create",
        "wf",
        '{"x": 1}',
        '{"env": {"url": "http://a"}}',
        "-d",
        "first run",
        "-f",
        "json",
    )

    assert res.code == 0, res
    req = api.only()
    assert req.content_type == "application/json"
    body = req.json()
    assert body == {
        "workflow_name": "wf",
        "workflow_namespace": "",
        "input": body["input"],
        "params": body["params"],
        "description": "first run",
    }
    assert json.loads(body["input"]) == {"x": 1}
    assert json.loads(body["params"]) == {"env": {"url": "http://a"}}
    out = res.json()
    assert out["ID"] == canned.EX_ID
    assert out["State"] == "RUNNING"
    assert out["Task Execution ID"] == "<none>"


def test_create_by_workflow_id_in_namespace(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)

    res = cli("execution-create", canned.WF_ID, "--namespace", "ns1")

    assert res.code == 0, res
    body = api.only().json()
    assert body["workflow_id"] == canned.WF_ID
    assert "workflow_name" not in body
    assert body["workflow_namespace"] == "ns1"
    assert json.loads(body["input"]) == {}
    assert json.loads(body["params"]) == {}


def test_create_reads_yaml_and_json_files(api, cli, canned, tmp_path):
    (tmp_path / "input.yaml").write_text("x: 1\nitems: [a, b]\n")
    (tmp_path / "params.json").write_text('{"env": {"token": "t"}}')
    api.reply("POST", "/v2/executions", canned.execution(), 201)

    res = cli(
        "execution-create",
        "wf",
        str(tmp_path / "input.yaml"),
        str(tmp_path / "params.json"),
    )

    assert res.code == 0, res
    body = api.only().json()
    assert json.loads(body["input"]) == {"x": 1, "items": ["a", "b"]}
    assert json.loads(body["params"]) == {"env": {"token": "t"}}


def test_create_accepts_yaml_string(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)

    res = cli("execution-create", "wf", "{x: 1, y: two}")

    assert res.code == 0, res
    assert json.loads(api.only().json()["input"]) == {"x": 1, "y": "two"}


def test_create_rejects_non_object_input(api, cli):
    res = cli("execution-create", "wf", "[1, 2]")

    assert res.code == 1
    assert res.err == "ERROR: Input ([1, 2]) must be a JSON/YAML object\n"
    assert api.requests == []


def test_create_missing_input_file(api, cli):
    res = cli("execution-create", "wf", "missing-input.yaml")

    assert res.code == 1
    assert res.err == "ERROR: Input file not found: missing-input.yaml\n"
    assert api.requests == []


def test_create_without_workflow(api, cli):
    res = cli("execution-create")

    assert res.code == 1
    assert res.err.startswith("ERROR: Give a workflow ID or name")


def test_create_from_source_execution(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)

    res = cli("execution-create", "-s", canned.EX_ID)

    assert res.code == 0, res
    body = api.only().json()
    assert body["source_execution_id"] == canned.EX_ID
    assert "workflow_name" not in body and "workflow_id" not in body


def test_create_wait_reports_progress_until_success(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)
    tasks = f"/v2/executions/{canned.EX_ID}/tasks"
    api.reply("GET", tasks, {"tasks": []})
    api.reply("GET", tasks, {"tasks": [canned.task(state="RUNNING", state_info=None)]})
    api.reply("GET", tasks, {"tasks": [canned.task(state="SUCCESS", state_info=None)]})
    ex_path = f"/v2/executions/{canned.EX_ID}"
    api.reply("GET", ex_path, canned.execution())
    api.reply("GET", ex_path, canned.execution(state="SUCCESS", output='{"r": 1}'))

    res = cli("execution-create", "wf", "--wait", "--poll-interval", "0", "-f", "json")

    assert res.code == 0, res
    assert res.err.splitlines() == [
        f"Execution {canned.EX_ID} [RUNNING]",
        "  task t1 [RUNNING]",
        "  task t1 [SUCCESS]",
        f"Execution {canned.EX_ID} [SUCCESS]",
    ]
    out = res.json()
    assert out["State"] == "SUCCESS"
    assert out["Duration"] == "0:00:07"
    assert [(r.method, r.path) for r in api.requests] == [
        ("POST", "/v2/executions"),
        ("GET", tasks),
        ("GET", ex_path),
        ("GET", tasks),
        ("GET", ex_path),
        ("GET", tasks),
    ]


def test_create_wait_fails_on_error(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)
    api.reply("GET", f"/v2/executions/{canned.EX_ID}/tasks", {"tasks": [canned.task()]})
    api.reply(
        "GET",
        f"/v2/executions/{canned.EX_ID}",
        canned.execution(
            state="ERROR", state_info="Failure caused by error in tasks: t1"
        ),
    )

    res = cli("execution-create", "wf", "--wait", "--poll-interval", "0", "-f", "json")

    assert res.code == 1
    assert res.err.splitlines() == [
        f"Execution {canned.EX_ID} [RUNNING]",
        "  task t1 [ERROR]: Failed to run action",
        f"Execution {canned.EX_ID} [ERROR]: Failure caused by error in tasks: t1",
    ]
    assert res.json()["State"] == "ERROR"


def test_create_wait_cancelled_is_failure(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(state="CANCELLED"), 201)
    api.reply("GET", f"/v2/executions/{canned.EX_ID}/tasks", {"tasks": []})

    res = cli("execution-create", "wf", "--wait")

    assert res.code == 1
    assert res.err == f"Execution {canned.EX_ID} [CANCELLED]\n"


def test_create_wait_server_gone(api, cli, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)
    api.reply("GET", f"/v2/executions/{canned.EX_ID}/tasks", {"tasks": []})
    api.fault("GET", f"/v2/executions/{canned.EX_ID}", 404, "Execution not found")

    res = cli("execution-create", "wf", "--wait", "--poll-interval", "0")

    assert res.code == 1
    assert res.err.splitlines()[-1] == "ERROR (HTTP 404): Execution not found"
    assert res.out == ""


def test_list_newest_first_by_default(api, cli, canned):
    newest, older = canned.execution(id="b"), canned.execution(id="a")
    api.reply("GET", "/v2/executions", {"executions": [newest, older]})

    res = cli("execution-list", "-f", "json")

    assert res.code == 0, res
    query = api.only().query
    assert query["sort_dirs"] == "desc"
    assert query["sort_keys"] == "created_at"
    assert query["limit"] == "100"
    assert "duration" not in query["fields"].split(",")
    assert [r["ID"] for r in res.json()] == ["a", "b"]


def test_list_oldest_rootsonly_task(api, cli, canned):
    api.reply(
        "GET",
        "/v2/executions",
        {"executions": [canned.execution(id="a"), canned.execution(id="b")]},
    )

    res = cli(
        "execution-list",
        "--oldest",
        "--rootsonly",
        "--task",
        "T1",
        "--limit",
        "2",
        "-f",
        "json",
    )

    query = api.only().query
    assert query["sort_dirs"] == "asc"
    assert query["nulls"] == "root_execution_id"
    assert query["task_execution_id"] == "T1"
    assert query["limit"] == "2"
    assert [r["ID"] for r in res.json()] == ["a", "b"]


def test_list_with_marker_keeps_order(api, cli, canned):
    api.reply(
        "GET",
        "/v2/executions",
        {"executions": [canned.execution(id="a"), canned.execution(id="b")]},
    )

    res = cli("execution-list", "--marker", "x", "-f", "json")

    assert api.only().query["marker"] == "x"
    assert [r["ID"] for r in res.json()] == ["a", "b"]


def test_get_shows_columns(api, cli, canned):
    api.reply(
        "GET",
        f"/v2/executions/{canned.EX_ID}",
        canned.execution(state="ERROR", state_info="boom"),
    )

    res = cli("execution-get", canned.EX_ID, "-f", "json")

    assert res.code == 0, res
    assert res.json() == {
        "ID": canned.EX_ID,
        "Workflow ID": canned.WF_ID,
        "Workflow name": "wf",
        "Workflow namespace": "",
        "Description": "",
        "Task Execution ID": "<none>",
        "Root Execution ID": "<none>",
        "State": "ERROR",
        "State info": "boom",
        "Created at": "2024-05-01 10:00:00",
        "Updated at": "2024-05-01 10:00:07",
        "Duration": "0:00:07",
    }


def test_get_input_output_published_pretty_print(api, cli, canned):
    api.reply(
        "GET",
        f"/v2/executions/{canned.EX_ID}",
        canned.execution(output='{"a": [1]}', published_global='{"g": 1}'),
    )

    inp = cli("execution-get-input", canned.EX_ID)
    out = cli("execution-get-output", canned.EX_ID)
    pub = cli("execution-get-published", canned.EX_ID)

    assert inp.out == '{\n    "x": 1\n}\n'
    assert out.out == '{\n    "a": [\n        1\n    ]\n}\n'
    assert pub.out == '{\n    "g": 1\n}\n'


def test_update_env_sends_params_object(api, cli, canned):
    api.reply("PUT", f"/v2/executions/{canned.EX_ID}", canned.execution(state="PAUSED"))

    res = cli(
        "execution-update", canned.EX_ID, "-e", '{"url": "http://b"}', "-f", "json"
    )

    assert res.code == 0, res
    req = api.only()
    assert req.content_type == "application/json"
    assert req.json() == {"params": {"env": {"url": "http://b"}}}


def test_update_resume_with_env_file(api, cli, canned, tmp_path):
    env = tmp_path / "env.yaml"
    env.write_text("url: http://b\nauth:\n  token: t2\n")
    api.reply("PUT", f"/v2/executions/{canned.EX_ID}", canned.execution())

    res = cli("execution-update", canned.EX_ID, "-s", "RUNNING", "-e", str(env))

    assert res.code == 0, res
    assert api.only().json() == {
        "state": "RUNNING",
        "params": {"env": {"url": "http://b", "auth": {"token": "t2"}}},
    }


def test_update_env_by_stored_environment_name(api, cli, canned):
    api.reply("PUT", f"/v2/executions/{canned.EX_ID}", canned.execution())

    res = cli("execution-update", canned.EX_ID, "--env", "prod")

    assert res.code == 0, res
    assert api.only().json() == {"params": {"env": "prod"}}


def test_update_description(api, cli, canned):
    api.reply(
        "PUT", f"/v2/executions/{canned.EX_ID}", canned.execution(description="new")
    )

    res = cli("execution-update", canned.EX_ID, "-d", "new", "-f", "json")

    assert api.only().json() == {"description": "new"}
    assert res.json()["Description"] == "new"


def test_update_nothing_is_an_error(api, cli, canned):
    res = cli("execution-update", canned.EX_ID)

    assert res.code == 1
    assert res.err.startswith("ERROR: Nothing to update")
    assert api.requests == []


def test_update_conflict_is_one_line(api, cli, canned):
    api.fault(
        "PUT",
        f"/v2/executions/{canned.EX_ID}",
        409,
        "Execution [id=x] is SUCCESS, not PAUSED:\nnothing to resume",
    )

    res = cli("execution-update", canned.EX_ID, "-s", "RUNNING")

    assert res.code == 1
    assert res.out == ""
    assert (
        res.err
        == "ERROR (HTTP 409): Execution [id=x] is SUCCESS, not PAUSED: nothing to resume\n"
    )


def test_update_bad_state_is_usage_error(api, cli, canned):
    res = cli("execution-update", canned.EX_ID, "-s", "BOGUS")

    assert res.code == 2
    assert api.requests == []


def test_delete_force(api, cli, canned):
    api.reply("DELETE", f"/v2/executions/{canned.EX_ID}", None, 204)

    res = cli("execution-delete", canned.EX_ID, "--force")

    assert res.code == 0, res
    assert api.only().query == {"force": "true"}
    assert res.out == f"Request to delete execution {canned.EX_ID} has been accepted.\n"


def test_delete_unfinished_forbidden(api, cli, canned):
    api.fault(
        "DELETE",
        f"/v2/executions/{canned.EX_ID}",
        403,
        "Execution is RUNNING; use force",
    )

    res = cli("execution-delete", canned.EX_ID)

    assert res.code == 1
    assert api.only().raw_query == ""
    assert res.err == "ERROR (HTTP 403): Execution is RUNNING; use force\n"
