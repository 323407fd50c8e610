"""The HTTP layer, on its own: query building and the managers' wire format."""

import json

import pytest

from mistral.client import APIError, Client
from mistral.client.executions import is_uuid
from mistral.client.http import list_params


def test_list_params_order_and_omissions():
    assert list_params() == []
    assert list_params(
        marker="m",
        limit=0,
        sort_keys="name",
        sort_dirs="desc",
        fields=["id", "name"],
        filters={"state": "ERROR", "skip": None},
    ) == [
        ("marker", "m"),
        ("sort_keys", "name"),
        ("sort_dirs", "desc"),
        ("fields", "id,name"),
        ("state", "ERROR"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("123e4567-e89b-12d3-a456-426614174000", True),
        ("123E4567E89B12D3A456426614174000", True),
        ("my_workflow", False),
        ("", False),
        (None, False),
    ],
)
def test_is_uuid(value, expected):
    assert is_uuid(value) is expected


def test_client_managers_share_one_session(api, canned):
    api.reply("GET", "/v2/workflows", {"workflows": [canned.workflow()], "next": "x"})
    api.reply("PUT", f"/v2/executions/{canned.EX_ID}", canned.execution())

    client = Client(api.url)
    wfs = client.workflows.list(limit=1, fields=["id"])
    client.executions.update(
        canned.EX_ID, state_info="why", params={"x": 1}, env={"a": 1}
    )

    assert wfs == [canned.workflow()]
    assert api.requests[0].query == {"limit": "1", "fields": "id"}
    assert api.requests[1].json() == {
        "state_info": "why",
        "params": {"x": 1, "env": {"a": 1}},
    }


def test_client_raises_api_error_with_status(api):
    api.fault("GET", "/v2/tasks/x", 404, "Task not found")

    with pytest.raises(APIError) as info:
        Client(api.url).tasks.get("x")

    assert (info.value.status, info.value.message) == (404, "Task not found")


def test_execution_create_keeps_encoded_input(api, canned):
    api.reply("POST", "/v2/executions", canned.execution(), 201)

    Client(api.url).executions.create("wf", workflow_input='{"a": 1}')

    body = api.only().json()
    assert body["input"] == '{"a": 1}'
    assert json.loads(body["params"]) == {}


def test_environment_variables_string_passes_through(api, canned):
    api.reply("POST", "/v2/environments", canned.environment(), 201)

    Client(api.url).environments.create("prod", '{"a": 1}')

    assert api.only().json() == {"name": "prod", "variables": '{"a": 1}'}


def test_identifiers_are_percent_encoded(api, canned):
    api.reply("GET", "/v2/workflows/a%20b%2Fc%23d", canned.workflow())

    Client(api.url).workflows.get("a b/c#d")

    assert api.only().path == "/v2/workflows/a%20b%2Fc%23d"
