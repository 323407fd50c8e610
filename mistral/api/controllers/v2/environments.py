"""/v2/environments: named sets of variables."""

import pecan
from pecan import rest

from mistral import exceptions as exc
from mistral.api import body, listing
from mistral.api.controllers import base
from mistral.api.errors import json_handler
from mistral.api.resources.environments import Environment
from mistral.db import environments as envs
from mistral.limits import check_size

FILTERS = {
    "name": "str",
    "description": "str",
    "scope": "str",
    "project_id": "str",
    "created_at": "datetime",
    "updated_at": "datetime",
    "id": "str",
}

FIELDS = {
    "id": body.Field("str"),
    "name": body.Field("str", required=True, nullable=False),
    "description": body.Field("str"),
    "variables": body.Field("object"),
    "scope": body.Field("str", choices=("private", "public")),
    "project_id": body.Field("str"),
    "created_at": body.Field("str"),
    "updated_at": body.Field("str"),
}


def _values(data):
    if not data["name"].strip():
        raise exc.InputError("Attribute 'name' must not be empty")
    values = {k: v for k, v in data.items() if k in ("name", "description", "variables", "scope")}
    if values.get("scope") is None:
        values.pop("scope", None)
    check_size("variables", values.get("variables"), base.services().conf.engine.execution_field_size_limit_kb)
    return values


class EnvironmentsController(rest.RestController):
    @pecan.expose()
    @json_handler()
    def get_one(self, name):
        base.query_params(("fields",))
        row = base.services().db.run(lambda s: envs.find(s, name), readonly=True)
        return Environment.from_db(row).to_dict()

    @pecan.expose()
    @json_handler()
    def get_all(self, **_):
        svc = base.services()
        q = listing.parse(pecan.request.GET, FILTERS, max_limit=svc.conf.api.max_list_limit)
        rows = svc.db.run(lambda s: envs.list_environments(s, **q.db_kwargs()), readonly=True)
        return listing.render(
            "environments", [Environment.from_db(r).to_dict() for r in rows], q, base.list_url("/v2/environments")
        )

    @pecan.expose()
    @json_handler(status=201)
    def post(self, **_):
        base.query_params(())
        values = _values(body.parse(body.load_json(pecan.request), FIELDS, "environment"))
        values.setdefault("variables", {})
        row = base.services().db.run(envs.create, values)
        return Environment.from_db(row).to_dict()

    @pecan.expose()
    @json_handler()
    def put(self, **_):
        base.query_params(())
        values = _values(body.parse(body.load_json(pecan.request), FIELDS, "environment"))
        name = values.pop("name")
        row = base.services().db.run(envs.update, name, values)
        return Environment.from_db(row).to_dict()

    @pecan.expose()
    @json_handler(status=204)
    def delete(self, name, **_):
        base.query_params(())
        base.services().db.run(envs.delete, name)
