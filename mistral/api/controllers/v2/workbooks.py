"""/v2/workbooks: workbook definitions (YAML in, JSON out)."""

import pecan
from pecan import rest

from mistral.api import listing
from mistral.api.controllers import base
from mistral.api.errors import json_handler
from mistral.api.resources.definitions import Workbook
from mistral.db import definitions as defs
from mistral.services import definitions as service

FILTERS = dict(base.DEFINITION_FILTERS)
WRITE_PARAMS = base.WRITE_PARAMS


class WorkbooksController(rest.RestController):
    _custom_actions = {"validate": ["POST"]}

    @pecan.expose()
    @json_handler()
    def get_one(self, name):
        params = base.query_params(("namespace", "fields"))
        row = base.services().db.run(lambda s: defs.find(s, "workbook", name, params.get("namespace", "")), readonly=True)
        return Workbook.from_db(row).to_dict()

    @pecan.expose()
    @json_handler()
    def get_all(self, **_):
        svc = base.services()
        q = listing.parse(pecan.request.GET, FILTERS, max_limit=svc.conf.api.max_list_limit)
        rows = svc.db.run(lambda s: defs.list_definitions(s, "workbook", **q.db_kwargs()), readonly=True)
        return listing.render("workbooks", [Workbook.from_db(r).to_dict() for r in rows], q, base.list_url("/v2/workbooks"))

    @pecan.expose()
    @json_handler(status=201)
    def post(self, **_):
        params = base.query_params(WRITE_PARAMS)
        row = service.create_workbook(base.services().db, base.text_body(), params.get("namespace", ""), base.scope_param(params))
        return Workbook.from_db(row).to_dict()

    @pecan.expose()
    @json_handler()
    def put(self, **_):
        params = base.query_params(WRITE_PARAMS)
        row = service.update_workbook(
            base.services().db, base.text_body(), params.get("namespace", ""), params.get("scope") and base.scope_param(params)
        )
        return Workbook.from_db(row).to_dict()

    @pecan.expose()
    @json_handler(status=204)
    def delete(self, name, **_):
        params = base.query_params(("namespace",))
        service.delete_workbook(base.services().db, name, params.get("namespace", ""))

    @pecan.expose()
    @json_handler()
    def validate(self, **_):
        base.query_params(WRITE_PARAMS)
        return service.validate("workbook", base.text_body())
