"""/v2/workflows: workflow definitions (YAML in, JSON out)."""

import pecan
from pecan import rest

from mistral.api import listing
from mistral.api.controllers import base
from mistral.api.errors import json_handler
from mistral.api.resources.definitions import Workflow
from mistral.db import definitions as defs
from mistral.services import definitions as service

FILTERS = dict(base.DEFINITION_FILTERS, input="str")
WRITE_PARAMS = base.WRITE_PARAMS


class WorkflowsController(rest.RestController):
    _custom_actions = {"validate": ["POST"]}

    @pecan.expose()
    @json_handler()
    def get_one(self, identifier):
        params = base.query_params(("namespace", "fields"))
        db = base.services().db
        row = db.run(lambda s: defs.find(s, "workflow", identifier, params.get("namespace", "")), readonly=True)
        return Workflow.from_db(row).to_dict()

    @pecan.expose()
    @json_handler()
    def get_all(self, **_):
        svc = base.services()
        q = listing.parse(pecan.request.GET, FILTERS, max_limit=svc.conf.api.max_list_limit)
        rows = svc.db.run(lambda s: defs.list_definitions(s, "workflow", **q.db_kwargs()), readonly=True)
        return listing.render("workflows", [Workflow.from_db(r).to_dict() for r in rows], q, base.list_url("/v2/workflows"))

    @pecan.expose()
    @json_handler(status=201)
    def post(self, **_):
        params = base.query_params(WRITE_PARAMS)
        rows = service.create_workflows(
            base.services().db, base.text_body(), params.get("namespace", ""), base.scope_param(params)
        )
        return {"workflows": [Workflow.from_db(r).to_dict() for r in rows]}

    @pecan.expose()
    @json_handler()
    def put(self, identifier=None, **_):
        params = base.query_params(WRITE_PARAMS)
        rows = service.update_workflows(
            base.services().db,
            base.text_body(),
            params.get("namespace", ""),
            params.get("scope") and base.scope_param(params),
            identifier=identifier,
        )
        if identifier:
            return Workflow.from_db(rows[0]).to_dict()
        return {"workflows": [Workflow.from_db(r).to_dict() for r in rows]}

    @pecan.expose()
    @json_handler(status=204)
    def delete(self, identifier, **_):
        params = base.query_params(("namespace",))
        service.delete_workflow(base.services().db, identifier, params.get("namespace", ""))

    @pecan.expose()
    @json_handler()
    def validate(self, **_):
        base.query_params(WRITE_PARAMS)
        return service.validate("workflow", base.text_body())
