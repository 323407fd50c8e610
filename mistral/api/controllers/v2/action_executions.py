"""/v2/action_executions: inspect action executions, complete async ones."""

import pecan
from pecan import rest

from mistral import exceptions as exc
from mistral.actions.base import Result
from mistral.api import body, listing
from mistral.api.controllers import base
from mistral.api.errors import json_handler
from mistral.api.resources.executions import ActionExecution
from mistral.db import executions as db_ex
from mistral.engine import states

FILTERS = {
    "id": "str",
    "name": "str",
    "workflow_name": "str",
    "workflow_namespace": "str",
    "task_execution_id": "str",
    "state": "str",
    "state_info": "str",
    "accepted": "bool",
    "project_id": "str",
    "tags": "str",
    "description": "str",
    "created_at": "datetime",
    "updated_at": "datetime",
}

CREATE_FIELDS = {
    "name": body.Field("str", required=True, nullable=False),
    "input": body.Field("object"),
    "params": body.Field("object"),
    "description": body.Field("str"),
    "workflow_name": body.Field("str"),
    "workflow_namespace": body.Field("str"),
    "task_name": body.Field("str"),
}

UPDATE_FIELDS = {
    "id": body.Field("str"),
    "state": body.Field("str", required=True, choices=(states.SUCCESS, states.ERROR, states.CANCELLED)),
    "output": body.Field("json"),
}


def _task_names(session, rows):
    names = db_ex.get_tasks_by_ids(session, {r.task_execution_id for r in rows if r.task_execution_id})
    return {tid: t.name for tid, t in names.items()}


def list_action_executions(url, extra_filters=None):
    """The wrapped, filtered list body (also for /v2/tasks/<id>/action_executions)."""
    svc = base.services()
    q = listing.parse(pecan.request.GET, FILTERS, max_limit=svc.conf.api.max_list_limit, extra_params=("include_output",))
    q.filters.update(extra_filters or {})

    def _load(session):
        rows = db_ex.list_action_executions(session, **q.db_kwargs())
        names = _task_names(session, rows)
        return [ActionExecution.from_row(r, names.get(r.task_execution_id)).to_dict() for r in rows]

    return listing.render("action_executions", svc.db.run(_load, readonly=True), q, url)


class ActionExecutionsController(rest.RestController):
    @pecan.expose()
    @json_handler()
    def get_one(self, action_ex_id):
        base.query_params(("fields",))

        def _load(session):
            row = db_ex.get_action_execution(session, action_ex_id)
            return ActionExecution.from_row(row, _task_names(session, [row]).get(row.task_execution_id)).to_dict()

        return base.services().db.run(_load, readonly=True)

    @pecan.expose()
    @json_handler()
    def get_all(self, **_):
        return list_action_executions(base.list_url("/v2/action_executions"))

    @pecan.expose()
    @json_handler(status=201)
    def post(self, **_):
        """Run an action outside any workflow (the stock client's run-action)."""
        base.query_params(())
        data = body.parse(body.load_json(pecan.request), CREATE_FIELDS, "action execution")
        params = data.get("params") or {}
        for flag in ("run_sync", "save_result"):
            if flag in params and not isinstance(params[flag], bool):
                raise exc.InputError("'params.%s' must be a boolean" % flag)
        row = base.services().engine_client.start_action(data["name"], data.get("input") or {}, data.get("description"), params)
        return ActionExecution.from_row(row).to_dict()

    @pecan.expose()
    @json_handler()
    def put(self, action_ex_id, **_):
        base.query_params(())
        svc = base.services()
        svc.db.run(db_ex.get_action_execution, action_ex_id, readonly=True)
        data = body.parse(body.load_json(pecan.request), UPDATE_FIELDS, "action execution")
        if data.get("id") not in (None, action_ex_id):
            raise exc.InputError("Attribute 'id' does not match the action execution in the URL")
        output = data.get("output")
        if isinstance(output, dict) and set(output) == {"result"}:
            output = output["result"]
        state = data["state"]
        if state == states.SUCCESS:
            result = Result(data=output)
        elif state == states.ERROR:
            result = Result(error=output if output is not None else "Failed by the API")
        else:
            result = Result(cancel=True)
        row = svc.engine_client.on_action_complete(action_ex_id, result.to_dict())
        if row["state"] != state:
            raise exc.StateConflictError(
                "Action execution [id=%s] is already %s: its result can not be changed" % (action_ex_id, row["state"])
            )
        task_id = row.get("task_execution_id")
        task_name = svc.db.run(lambda s: db_ex.get_task_execution(s, task_id).name, readonly=True) if task_id else None
        return ActionExecution.from_row(row, task_name).to_dict()
