"""Listing executions and tasks: limit, marker, sort_keys, sort_dirs,
fields, eq:/in:/has: filters and the ``next`` link."""

import urllib.parse

import pytest
from engine_support import define, fault, run, start


@pytest.fixture
def populated(api):
    """Five executions of two workflows, in three states."""
    define(
        api,
        """
version: '2.0'
alpha:
  input:
    - fail: false
  tasks:
    one:
      action: std.echo output=1
      on-success:
        - two: <% not $.fail %>
        - boom: <% $.fail %>
    two:
      action: std.noop
    boom:
      action: std.fail
beta:
  tasks:
    held:
      action: std.async_noop
""",
    )
    ids = {}
    ids["a1"] = run(api, "alpha", description="first alpha")["id"]
    ids["a2"] = run(api, "alpha", {"fail": True}, expect=("ERROR",), description="second alpha")["id"]
    ids["a3"] = run(api, "alpha", description="third")["id"]
    ids["b1"] = start(api, "beta", description="held beta")["id"]
    ids["b2"] = api.start("beta")["id"]
    api.wait_task_state(ids["b2"], "held", "RUNNING")
    return ids


def _list(api, path, **params):
    r = api.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _ids(body, key="executions"):
    return [item["id"] for item in body[key]]


def test_execution_filters(api, populated):
    body = _list(api, "/v2/executions", workflow_name="alpha")
    assert set(_ids(body)) == {populated["a1"], populated["a2"], populated["a3"]}
    body = _list(api, "/v2/executions", workflow_name="eq:beta")
    assert set(_ids(body)) == {populated["b1"], populated["b2"]}
    body = _list(api, "/v2/executions", state="in:ERROR,RUNNING")
    assert set(_ids(body)) == {populated["a2"], populated["b1"], populated["b2"]}
    body = _list(api, "/v2/executions", description="has:alpha")
    assert set(_ids(body)) == {populated["a1"], populated["a2"]}
    body = _list(api, "/v2/executions", state="neq:SUCCESS", workflow_name="alpha")
    assert _ids(body) == [populated["a2"]]
    body = _list(api, "/v2/executions", state="nin:SUCCESS,ERROR")
    assert set(_ids(body)) == {populated["b1"], populated["b2"]}
    assert _list(api, "/v2/executions", workflow_name="nothing")["executions"] == []


def test_execution_sorting_and_fields(api, populated):
    body = _list(api, "/v2/executions", sort_keys="workflow_name,created_at", sort_dirs="desc,asc")
    names = [e["workflow_name"] for e in body["executions"]]
    assert names == ["beta", "beta", "alpha", "alpha", "alpha"]
    assert _ids(body)[:2] == [populated["b1"], populated["b2"]]
    body = _list(api, "/v2/executions", fields="state,workflow_name", workflow_name="beta")
    for item in body["executions"]:
        assert set(item) == {"id", "state", "workflow_name"}
    fault(api.get("/v2/executions", params={"sort_keys": "no_such_column"}), 400)
    fault(api.get("/v2/executions", params={"sort_dirs": "sideways"}), 400)
    fault(api.get("/v2/executions", params={"colour": "red"}), 400)
    fault(api.get("/v2/executions", params={"limit": "many"}), 400)


def test_execution_pagination_follows_next_links(api, populated):
    seen = []
    url = "/v2/executions?limit=2&sort_keys=created_at&sort_dirs=asc"
    pages = 0
    while url:
        r = api.get(url)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["executions"]) <= 2
        seen.extend(_ids(body))
        pages += 1
        nxt = body.get("next")
        if nxt:
            parsed = urllib.parse.urlparse(nxt)
            query = urllib.parse.parse_qs(parsed.query)
            assert query["limit"] == ["2"] and query["marker"] == [seen[-1]]
            assert query["sort_keys"] == ["created_at"]
            url = parsed.path + "?" + parsed.query
        else:
            url = None
    assert pages == 3
    assert len(seen) == 5 and len(set(seen)) == 5
    all_ids = _ids(_list(api, "/v2/executions", sort_keys="created_at"))
    assert seen == all_ids
    body = _list(api, "/v2/executions", marker=all_ids[3], sort_keys="created_at")
    assert _ids(body) == [all_ids[4]]
    assert "next" not in body or body["next"] is None
    assert api.get("/v2/executions", params={"marker": "no-such-id"}).status_code == 404


def test_task_filters_and_pagination(api, populated):
    body = _list(api, "/v2/tasks", workflow_name="alpha", name="one")
    assert len(body["tasks"]) == 3
    body = _list(api, "/v2/tasks", state="ERROR")
    assert [(t["name"], t["workflow_execution_id"]) for t in body["tasks"]] == [("boom", populated["a2"])]
    body = _list(api, "/v2/tasks", name="in:two,held", sort_keys="name", sort_dirs="desc")
    assert [t["name"] for t in body["tasks"]] == ["two", "two", "held", "held"]
    body = _list(api, "/v2/tasks", workflow_execution_id=populated["a1"], fields="name,state")
    assert sorted((t["name"], t["state"]) for t in body["tasks"]) == [("one", "SUCCESS"), ("two", "SUCCESS")]
    assert all(set(t) == {"id", "name", "state"} for t in body["tasks"])
    body = _list(api, "/v2/tasks", name="has:o", limit=3)
    assert len(body["tasks"]) == 3 and body["next"]
    nxt = urllib.parse.urlparse(body["next"])
    rest = api.get(nxt.path + "?" + nxt.query).json()["tasks"]
    everything = _list(api, "/v2/tasks", name="has:o")["tasks"]
    assert [t["id"] for t in body["tasks"] + rest] == [t["id"] for t in everything]


def test_tasks_of_an_execution(api, populated):
    body = _list(api, "/v2/executions/%s/tasks" % populated["a2"])
    assert sorted((t["name"], t["state"]) for t in body["tasks"]) == [("boom", "ERROR"), ("one", "SUCCESS")]
    body = _list(api, "/v2/executions/%s/tasks" % populated["a2"], state="ERROR")
    assert [t["name"] for t in body["tasks"]] == ["boom"]
    assert api.get("/v2/executions/no-such-id/tasks").status_code == 404
