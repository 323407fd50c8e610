"""/v2/workflows, /v2/workbooks, /v2/environments: the definitions API,
wire details and every kind of bad input."""

import json

import pytest

WF = """
version: '2.0'
wf_a:
  input:
    - x
    - y: 2
  tasks:
    t1:
      action: std.noop
"""

WB = """
version: '2.0'
name: book
workflows:
  main:
    tasks:
      call:
        workflow: helper
  helper:
    tasks:
      t:
        action: std.echo output=1
"""


def _fault(r, code, *words):
    assert r.status_code == code, r.text
    body = r.json()
    assert body["faultcode"] == "Client" and body["debuginfo"] is None
    for word in words:
        assert word in body["faultstring"]
    return body["faultstring"]


def test_root_and_v2_answer_json(api):
    assert api.get("/").json()["versions"][0]["id"] == "v2.0"
    assert api.get("/v2").status_code == 200
    r = api.get("/v2/workflows", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")


def test_workflow_lifecycle(api):
    r = api.http.post(api.url("/v2/workflows?namespace=&scope=private"), data=WF, headers={"Content-Type": "text/plain", "Accept": "application/json"})
    assert r.status_code == 201, r.text
    wf = r.json()["workflows"][0]
    assert wf["name"] == "wf_a" and wf["input"] == "x, y=2" and wf["scope"] == "private" and wf["namespace"] == ""
    assert len(wf["created_at"]) == 19 and "T" not in wf["created_at"]
    by_name = api.get("/v2/workflows/wf_a?namespace=").json()
    by_id = api.get("/v2/workflows/%s" % wf["id"]).json()
    assert by_name == by_id
    assert by_name["definition"] == WF
    listed = api.get("/v2/workflows").json()
    assert [w["name"] for w in listed["workflows"]] == ["wf_a"]
    updated = api.put("/v2/workflows?namespace=&scope=private", text=WF.replace("y: 2", "y: 3"))
    assert updated.status_code == 200, updated.text
    assert updated.json()["workflows"][0]["input"] == "x, y=3"
    assert api.delete("/v2/workflows/wf_a?namespace=").status_code == 204
    _fault(api.get("/v2/workflows/wf_a"), 404, "wf_a")


def test_several_workflows_in_one_document_are_stored_whole_or_not_at_all(api):
    two = WF + "\nwf_b:\n  tasks:\n    t:\n      action: std.noop\n"
    assert [w["name"] for w in api.post("/v2/workflows", text=two).json()["workflows"]] == ["wf_a", "wf_b"]
    clash = "version: '2.0'\nwf_c:\n  tasks:\n    t:\n      action: std.noop\nwf_a:\n  tasks:\n    t:\n      action: std.noop\n"
    _fault(api.post("/v2/workflows", text=clash), 409, "wf_a")
    assert "wf_c" not in [w["name"] for w in api.get("/v2/workflows").json()["workflows"]]


def test_namespaces_separate_names(api):
    assert api.post("/v2/workflows?namespace=team1", text=WF).status_code == 201
    assert api.post("/v2/workflows?namespace=team2", text=WF).status_code == 201
    assert api.get("/v2/workflows/wf_a?namespace=team1").json()["namespace"] == "team1"
    _fault(api.get("/v2/workflows/wf_a"), 404)


@pytest.mark.parametrize(
    "text, code, words",
    [
        ("version: '2.0'\nwf: [", 400, ["could not be parsed"]),
        ("version: '1.0'\nwf:\n  tasks:\n    t:\n      action: std.noop\n", 400, ["version"]),
        ("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.noop\n      on-success: [nope]\n", 400, ["wf", "t", "nope"]),
        ("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.noop\n      colour: red\n", 400, ["colour"]),
        ("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo output=<% $.x +++ %>\n", 400, ["t"]),
        ("", 400, ["empty"]),
    ],
)
def test_bad_definitions_are_400(api, text, code, words):
    _fault(api.post("/v2/workflows", text=text), code, *words)
    assert api.get("/v2/workflows").json()["workflows"] == []


def test_validate_endpoint(api):
    assert api.post("/v2/workflows/validate", text=WF).json() == {"valid": True, "error": None}
    result = api.post("/v2/workflows/validate", text="version: '2.0'\nwf: [").json()
    assert result["valid"] is False and result["error"]


def test_duplicate_and_unknown(api):
    api.post("/v2/workflows", text=WF)
    _fault(api.post("/v2/workflows", text=WF), 409, "wf_a")
    _fault(api.put("/v2/workflows", text=WF.replace("wf_a", "wf_z")), 404, "wf_z")
    _fault(api.delete("/v2/workflows/nope"), 404)


def test_bad_query_parameters_are_400(api):
    _fault(api.get("/v2/workflows?colour=red"), 400, "colour")
    _fault(api.get("/v2/workflows?limit=abc"), 400, "limit")
    _fault(api.get("/v2/workflows?sort_keys=bogus"), 400, "bogus")
    _fault(api.get("/v2/workflows?sort_dirs=sideways"), 400, "sideways")
    _fault(api.post("/v2/workflows?scope=secret", text=WF), 400, "scope")


def test_list_pagination_and_filters(api):
    for i in range(5):
        api.post("/v2/workflows", text=WF.replace("wf_a", "wf_%d" % i))
    page = api.get("/v2/workflows?limit=2&sort_keys=name").json()
    assert [w["name"] for w in page["workflows"]] == ["wf_0", "wf_1"]
    nxt = api.http.get(page["next"]).json()
    assert [w["name"] for w in nxt["workflows"]] == ["wf_2", "wf_3"]
    assert [w["name"] for w in api.get("/v2/workflows?name=in:wf_1,wf_3&sort_keys=name").json()["workflows"]] == ["wf_1", "wf_3"]
    assert [w["name"] for w in api.get("/v2/workflows?name=neq:wf_0&sort_keys=name&sort_dirs=desc&limit=1").json()["workflows"]] == ["wf_4"]
    assert len(api.get("/v2/workflows?name=has:wf_").json()["workflows"]) == 5
    fields = api.get("/v2/workflows?fields=name&limit=1").json()["workflows"][0]
    assert set(fields) == {"id", "name"}


def test_workbook_lifecycle(api):
    r = api.post("/v2/workbooks?namespace=&scope=private", text=WB)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "book"
    names = sorted(w["name"] for w in api.get("/v2/workflows").json()["workflows"])
    assert names == ["book.helper", "book.main"]
    ex = api.start("book.main")
    assert api.wait_state(ex["id"], "SUCCESS")
    assert api.put("/v2/workbooks", text=WB.replace("output=1", "output=2")).status_code == 200
    _fault(api.post("/v2/workbooks", text=WB), 409, "book")
    assert api.delete("/v2/workbooks/book").status_code == 204
    assert api.get("/v2/workflows").json()["workflows"] == []
    _fault(api.get("/v2/workbooks/book"), 404)


def test_environment_lifecycle(api):
    body = {"name": "prod", "description": "production", "variables": json.dumps({"url": "http://x", "token": "t"}), "scope": "private"}
    r = api.post("/v2/environments", body)
    assert r.status_code == 201, r.text
    env = r.json()
    assert json.loads(env["variables"]) == {"url": "http://x", "token": "t"}
    _fault(api.post("/v2/environments", body), 409, "prod")
    r = api.put("/v2/environments", {"name": "prod", "variables": {"token": "u"}})
    assert r.status_code == 200 and json.loads(r.json()["variables"]) == {"token": "u"}
    assert [e["name"] for e in api.get("/v2/environments").json()["environments"]] == ["prod"]
    assert api.delete("/v2/environments/prod").status_code == 204
    _fault(api.get("/v2/environments/prod"), 404)
    _fault(api.put("/v2/environments", {"name": "ghost", "variables": {}}), 404)


@pytest.mark.parametrize(
    "body, words",
    [
        ({"variables": "{}"}, ["name"]),
        ({"name": "e", "variables": "[1]"}, ["variables"]),
        ({"name": "e", "variables": "{bad"}, ["variables", "JSON"]),
        ({"name": "e", "colour": "red"}, ["colour"]),
        ({"name": 5}, ["name"]),
        ({"name": "e", "scope": "galaxy"}, ["scope"]),
    ],
)
def test_bad_environments_are_400(api, body, words):
    _fault(api.post("/v2/environments", body), 400, *words)
    assert api.get("/v2/environments").json()["environments"] == []


def test_malformed_json_body_is_400(api):
    r = api.http.post(api.url("/v2/environments"), data="{nope", headers={"Content-Type": "application/json"})
    _fault(r, 400, "JSON")
    r = api.http.post(api.url("/v2/environments"), data="[1, 2]", headers={"Content-Type": "application/json"})
    _fault(r, 400, "object")


def test_oversized_environment_is_400(server_factory):
    api = server_factory(options={("engine", "execution_field_size_limit_kb"): 1}).api
    _fault(api.post("/v2/environments", {"name": "big", "variables": {"blob": "x" * 4000}}), 400, "variables", "limit")


def test_unknown_paths_and_methods_answer_json(api):
    r = api.get("/v2/nothing")
    assert r.status_code == 404 and r.json()["faultcode"] == "Client"
