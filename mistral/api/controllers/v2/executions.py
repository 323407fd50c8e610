"""/v2/executions: start, inspect, pause/resume/cancel, update env, delete."""

import pecan
from pecan import rest

from mistral import exceptions as exc
from mistral.api import body, listing
from mistral.api.controllers import base
from mistral.api.controllers.v2 import tasks as tasks_ctrl
from mistral.api.errors import json_handler
from mistral.api.resources.executions import Execution
from mistral.db import executions as db_ex
from mistral.engine import states
from mistral.services import reports

FILTERS = {
    "id": "str",
    "workflow_name": "str",
    "workflow_id": "str",
    "workflow_namespace": "str",
    "description": "str",
    "state": "str",
    "state_info": "str",
    "root_execution_id": "str",
    "task_execution_id": "str",
    "project_id": "str",
    "tags": "str",
    "created_at": "datetime",
    "updated_at": "datetime",
}

CREATE_FIELDS = {
    "id": body.Field("str"),
    "workflow_id": body.Field("str"),
    "workflow_name": body.Field("str"),
    "workflow_namespace": body.Field("str"),
    "description": body.Field("str"),
    "input": body.Field("object"),
    "params": body.Field("object"),
    "source_execution_id": body.Field("str"),
    "tags": body.Field("json"),
}

UPDATE_FIELDS = {
    "id": body.Field("str"),
    "state": body.Field("str"),
    "state_info": body.Field("str"),
    "description": body.Field("str"),
    "params": body.Field("object"),
}

UPDATABLE_STATES = (states.RUNNING, states.PAUSED, states.SUCCESS, states.ERROR, states.CANCELLED)


def _check_params(params):
    if "env" in params and not isinstance(params["env"], (dict, str)):
        raise exc.InputError("'params.env' must be an object or a stored environment's name")
    if "evaluate_env" in params and not isinstance(params["evaluate_env"], bool):
        raise exc.InputError("'params.evaluate_env' must be a boolean")


class ExecutionsController(rest.RestController):
    tasks = tasks_ctrl.ExecutionTasksController()
    _custom_actions = {"executions": ["GET"], "report": ["GET"]}

    @pecan.expose()
    @json_handler()
    def executions(self, ex_id, **_):
        """GET /v2/executions/<id>/executions: every sub-execution, depth first."""
        params = base.query_params(("errors_only", "max_depth"))
        errors_only, depth = base.flag_param(params, "errors_only"), base.int_param(params, "max_depth", -1)
        rows = base.services().db.run(reports.sub_executions, ex_id, errors_only, depth, readonly=True)
        return {"executions": [Execution.from_row(r).to_dict() for r in rows]}

    @pecan.expose()
    @json_handler()
    def report(self, ex_id, **_):
        """GET /v2/executions/<id>/report: statistics and the execution tree."""
        params = base.query_params(("errors_only", "max_depth", "statistics_only"))
        return base.services().db.run(
            reports.report, ex_id, base.flag_param(params, "errors_only"), base.int_param(params, "max_depth", -1), base.flag_param(params, "statistics_only"), readonly=True
        )

    @pecan.expose()
    @json_handler()
    def get_one(self, ex_id):
        base.query_params(("fields",))
        row = base.services().db.run(db_ex.get_workflow_execution, ex_id, readonly=True)
        return Execution.from_row(row).to_dict()

    @pecan.expose()
    @json_handler()
    def get_all(self, **_):
        svc = base.services()
        q = listing.parse(pecan.request.GET, FILTERS, max_limit=svc.conf.api.max_list_limit, extra_params=("include_output",))
        rows = svc.db.run(lambda s: db_ex.list_workflow_executions(s, **q.db_kwargs()), readonly=True)
        return listing.render("executions", [Execution.from_row(r).to_dict() for r in rows], q, base.list_url("/v2/executions"))

    @pecan.expose()
    @json_handler(status=201)
    def post(self, **_):
        base.query_params(())
        data = body.parse(body.load_json(pecan.request), CREATE_FIELDS, "execution")
        identifier = data.get("workflow_id") or data.get("workflow_name")
        if not identifier:
            raise exc.InputError("Attribute 'workflow_name' or 'workflow_id' is required to start an execution")
        if data.get("source_execution_id"):
            raise exc.InputError("Attribute 'source_execution_id' is not supported: start the workflow with its input")
        params = data.get("params") or {}
        _check_params(params)
        result = base.services().engine_client.start_workflow(
            identifier,
            data.get("workflow_namespace") or "",
            data.get("input") or {},
            data.get("description") or "",
            params,
            ex_id=data.get("id"),
        )
        return Execution.from_row(result).to_dict()

    @pecan.expose()
    @json_handler()
    def put(self, ex_id, **_):
        base.query_params(())
        data = body.parse(body.load_json(pecan.request), UPDATE_FIELDS, "execution")
        svc = base.services()
        if data.get("id") not in (None, ex_id):
            raise exc.InputError("Attribute 'id' (%s) does not match the execution in the URL (%s)" % (data["id"], ex_id))
        state = data.get("state")
        description = data.get("description")
        params = data.get("params")
        env = None
        if params is not None:
            extra = sorted(set(params) - {"env"})
            if extra:
                raise exc.InputError("Only 'params.env' can be updated, not: %s" % ", ".join("params." + k for k in extra))
            _check_params(params)
            env = params.get("env")
        if state is None and description is None and env is None:
            raise exc.InputError("Nothing to update: give 'state', 'description' or 'params.env'")
        if description is not None and state is not None:
            raise exc.InputError("'description' can not be updated together with 'state'")
        if state is not None and state not in UPDATABLE_STATES:
            raise exc.InputError("Attribute 'state' must be one of %s, not '%s'" % (", ".join(UPDATABLE_STATES), state))
        if env is not None and state not in (None, states.RUNNING):
            raise exc.InputError("'params.env' can only be given with state RUNNING (resume), not %s" % state)
        engine = svc.engine_client
        if state == states.RUNNING:
            result = engine.resume_workflow(ex_id, env=env)
        elif state == states.PAUSED:
            result = engine.pause_workflow(ex_id)
        elif state is not None:
            result = engine.stop_workflow(ex_id, state, data.get("state_info"))
        elif env is not None:
            result = engine.update_env(ex_id, env)
            if description is not None:
                result = svc.db.run(db_ex.update_description, ex_id, description)
        else:
            result = svc.db.run(db_ex.update_description, ex_id, description)
        return Execution.from_row(result).to_dict()

    @pecan.expose()
    @json_handler(status=204)
    def delete(self, ex_id, **_):
        params = base.query_params(("force",))
        force = base.flag_param(params, "force")

        def _delete(session):
            wf_ex = db_ex.get_workflow_execution(session, ex_id)
            if not force and not states.is_completed(wf_ex.state):
                raise exc.NotAllowedError(
                    "Execution [id=%s] is %s: only finished executions can be deleted (use force=true)" % (ex_id, wf_ex.state)
                )
            db_ex.delete_workflow_execution(session, wf_ex)

        base.services().db.run(_delete)
