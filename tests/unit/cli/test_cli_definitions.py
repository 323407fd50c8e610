"""``workflow-*`` and ``workbook-*`` commands against the stub API."""

import json

import pytest

DEFINITION = "version: '2.0'\nwf:\n  tasks:\n    t1:\n      action: std.noop\n"


@pytest.fixture
def wf_file(tmp_path):
    path = tmp_path / "wf.yaml"
    path.write_text(DEFINITION)
    return str(path)


def test_workflow_create_uploads_yaml_as_text(api, cli, canned, wf_file):
    api.reply("POST", "/v2/workflows", {"workflows": [canned.workflow()]}, 201)

    res = cli("workflow-create", wf_file, "-f", "json")

    assert res.code == 0, res
    req = api.only()
    assert req.raw_query == "namespace=&scope=private"
    assert req.content_type == "text/plain"
    assert req.text == DEFINITION
    assert res.json() == [
        {
            "ID": canned.WF_ID,
            "Name": "wf",
            "Namespace": "",
            "Project ID": "<default-project>",
            "Tags": "<none>",
            "Input": "x, y=null",
            "Scope": "private",
            "Created at": "2024-05-01 10:00:00",
            "Updated at": None,
        }
    ]


def test_workflow_create_public_in_namespace(api, cli, canned, wf_file):
    api.reply("POST", "/v2/workflows", {"workflows": [canned.workflow()]}, 201)

    res = cli("workflow-create", wf_file, "--namespace", "ns1", "--public")

    assert res.code == 0, res
    assert api.only().query == {"namespace": "ns1", "scope": "public"}


def test_workflow_create_missing_file_sends_nothing(api, cli):
    res = cli("workflow-create", "/nonexistent/wf.yaml")

    assert res.code == 1
    assert res.err.startswith("ERROR: Cannot read workflow definition file")
    assert res.err.count("\n") == 1
    assert api.requests == []


def test_workflow_update_by_id_returns_one(api, cli, canned, wf_file):
    api.reply("PUT", f"/v2/workflows/{canned.WF_ID}", canned.workflow())

    res = cli("workflow-update", wf_file, "--id", canned.WF_ID, "-f", "json")

    assert res.code == 0, res
    req = api.only()
    assert req.query == {"namespace": "", "scope": "private"}
    assert req.text == DEFINITION
    assert [w["ID"] for w in res.json()] == [canned.WF_ID]


def test_workflow_update_all_in_file(api, cli, canned, wf_file):
    api.reply(
        "PUT",
        "/v2/workflows",
        {"workflows": [canned.workflow(), canned.workflow(name="wf2")]},
    )

    res = cli("workflow-update", wf_file, "-f", "json", "-c", "Name")

    assert res.code == 0, res
    assert res.json() == [{"Name": "wf"}, {"Name": "wf2"}]


def test_workflow_list_sends_paging_and_fields(api, cli, canned):
    long_input = "a, b, c, d, e, f, g, h, i, j, k"
    api.reply(
        "GET",
        "/v2/workflows",
        {
            "workflows": [canned.workflow(input=long_input, tags=["x", "y"])],
            "next": None,
        },
    )

    res = cli("workflow-list", "--limit", "5", "--filter", "name=eq:wf", "-f", "json")

    assert res.code == 0, res
    req = api.only()
    assert req.query == {
        "limit": "5",
        "sort_keys": "created_at",
        "sort_dirs": "asc",
        "fields": "id,name,namespace,project_id,tags,input,scope,created_at,updated_at",
        "name": "eq:wf",
    }
    (row,) = res.json()
    assert row["Input"] == long_input[:25] + "..."
    assert row["Tags"] == "x, y"


def test_workflow_list_empty(api, cli):
    api.reply("GET", "/v2/workflows", {"workflows": []})

    res = cli("workflow-list", "-f", "json")

    assert res.code == 0, res
    assert res.json() == []


def test_workflow_list_bad_filter(api, cli):
    res = cli("workflow-list", "--filter", "noequals")

    assert res.code == 1
    assert res.err == "ERROR: Invalid filter: noequals (expected field=value)\n"
    assert api.requests == []


def test_workflow_get_with_namespace(api, cli, canned):
    api.reply("GET", "/v2/workflows/wf", canned.workflow(namespace="ns1"))

    res = cli("workflow-get", "wf", "--namespace", "ns1", "-f", "json")

    assert res.code == 0, res
    assert api.only().query == {"namespace": "ns1"}
    assert res.json()["Namespace"] == "ns1"


def test_workflow_get_definition_prints_yaml(api, cli, canned):
    api.reply("GET", "/v2/workflows/wf", canned.workflow())

    res = cli("workflow-get-definition", "wf")

    assert res.code == 0, res
    assert res.out == canned.workflow()["definition"]
    assert api.only().raw_query == "namespace="


def test_workflow_delete_many_reports_each_failure(api, cli):
    api.reply("DELETE", "/v2/workflows/wf1", None, 204)
    api.fault("DELETE", "/v2/workflows/wf2", 404, "Workflow not found [name=wf2]")

    res = cli("workflow-delete", "wf1", "wf2", "--namespace", "ns")

    assert res.code == 1
    assert res.out == "Request to delete workflow wf1 has been accepted.\n"
    assert res.err == "ERROR (HTTP 404): Workflow not found [name=wf2]\n"
    assert [r.query for r in api.requests] == [{"namespace": "ns"}] * 2


def test_workflow_delete_without_namespace_sends_no_query(api, cli):
    api.reply("DELETE", "/v2/workflows/wf1", None, 204)

    res = cli("workflow-delete", "wf1")

    assert res.code == 0, res
    assert api.only().raw_query == ""


def test_workflow_validate(api, cli, wf_file):
    api.reply("POST", "/v2/workflows/validate", {"valid": False, "error": "Bad task"})

    res = cli("workflow-validate", wf_file, "-f", "json")

    assert res.code == 0, res
    req = api.only()
    assert (req.content_type, req.text) == ("text/plain", DEFINITION)
    assert res.json() == {"Valid": False, "Error": "Bad task"}


def test_workflow_table_output(api, cli, canned):
    api.reply("GET", "/v2/workflows/wf", canned.workflow())

    res = cli("workflow-get", "wf")

    assert res.code == 0, res
    assert "| Name" in res.out and canned.WF_ID in res.out


# -- workbooks ---------------------------------------------------------------


def test_workbook_create(api, cli, canned, wf_file):
    api.reply("POST", "/v2/workbooks", canned.workbook(), 201)

    res = cli("workbook-create", wf_file, "-f", "json")

    assert res.code == 0, res
    req = api.only()
    assert req.raw_query == "namespace=&scope=private"
    assert (req.content_type, req.text) == ("text/plain", DEFINITION)
    assert res.json() == {
        "Name": "wb",
        "Namespace": "",
        "Tags": "a, b",
        "Scope": "private",
        "Created at": "2024-05-01 10:00:00",
        "Updated at": None,
    }


def test_workbook_update_public(api, cli, canned, wf_file):
    api.reply("PUT", "/v2/workbooks", canned.workbook(scope="public"))

    res = cli("workbook-update", wf_file, "--public", "-f", "json")

    assert res.code == 0, res
    assert api.only().query == {"namespace": "", "scope": "public"}
    assert res.json()["Scope"] == "public"


def test_workbook_list_get_definition_delete(api, cli, canned):
    api.reply("GET", "/v2/workbooks", {"workbooks": [canned.workbook()]})
    api.reply("GET", "/v2/workbooks/wb", canned.workbook())
    api.reply("DELETE", "/v2/workbooks/wb", None, 204)

    listed = cli("workbook-list", "-f", "json")
    definition = cli("workbook-get-definition", "wb")
    deleted = cli("workbook-delete", "wb", "--namespace", "ns")

    assert [r["Name"] for r in listed.json()] == ["wb"]
    assert "fields" not in api.requests[0].query
    assert definition.out == canned.workbook()["definition"]
    assert deleted.code == 0
    assert deleted.out == "Request to delete workbook wb has been accepted.\n"
    assert api.requests[-1].query == {"namespace": "ns"}


def test_workbook_validate(api, cli, wf_file):
    api.reply("POST", "/v2/workbooks/validate", {"valid": True, "error": None})

    res = cli("workbook-validate", wf_file, "-f", "json")

    assert res.json() == {"Valid": True, "Error": None}
    assert api.only().content_type == "text/plain"


def test_workbook_get_not_found(api, cli):
    api.fault("GET", "/v2/workbooks/nope", 404, "Workbook not found [name=nope]")

    res = cli("workbook-get", "nope")

    assert res.code == 1
    assert res.out == ""
    assert res.err == "ERROR (HTTP 404): Workbook not found [name=nope]\n"


def test_definitions_read_from_stdin(api, cli, canned, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(DEFINITION))
    api.reply("POST", "/v2/workflows", {"workflows": [canned.workflow()]}, 201)

    res = cli("workflow-create", "-")

    assert res.code == 0, res
    assert json.loads(json.dumps(api.only().text)) == DEFINITION
