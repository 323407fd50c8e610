"""/v2/tasks: inspect task executions, rerun or skip a failed one."""

import pecan
from pecan import rest

from mistral import exceptions as exc
from mistral.api import body, listing
from mistral.api.controllers import base
from mistral.api.controllers.v2 import action_executions as action_executions_ctrl
from mistral.api.errors import json_handler
from mistral.api.resources.executions import Execution, Task
from mistral.db import executions as db_ex
from mistral.engine import states
from mistral.engine.tasks import result_of
from mistral.services import reports

FILTERS = {
    "id": "str",
    "name": "str",
    "workflow_name": "str",
    "workflow_id": "str",
    "workflow_namespace": "str",
    "workflow_execution_id": "str",
    "state": "str",
    "state_info": "str",
    "type": "str",
    "project_id": "str",
    "tags": "str",
    "processed": "bool",
    "created_at": "datetime",
    "updated_at": "datetime",
    "started_at": "datetime",
    "finished_at": "datetime",
}

UPDATE_FIELDS = {
    "id": body.Field("str"),
    "name": body.Field("str"),
    "workflow_name": body.Field("str"),
    "state": body.Field("str"),
    "reset": body.Field("bool"),
    "env": body.Field("object_or_str"),
}


def task_dicts(session, rows):
    return [Task.from_row(r, result_of(session, r)).to_dict() for r in rows]


def _list_tasks(url, extra_filters=None):
    svc = base.services()
    q = listing.parse(pecan.request.GET, FILTERS, max_limit=svc.conf.api.max_list_limit)
    q.filters.update(extra_filters or {})

    def _load(session):
        return task_dicts(session, db_ex.list_task_executions(session, **q.db_kwargs()))

    return listing.render("tasks", svc.db.run(_load, readonly=True), q, url)


def _validate_rerun(task, data):
    """Body rules of PUT /v2/tasks/<id>, checked after the task is known."""
    for field in ("name", "workflow_name"):
        if data.get(field) is not None and data[field] != getattr(task, field):
            raise exc.InputError("Attribute '%s' (%s) does not match the task (%s)" % (field, data[field], getattr(task, field)))
    if data.get("id") not in (None, task.id):
        raise exc.InputError("Attribute 'id' (%s) does not match the task in the URL (%s)" % (data["id"], task.id))
    state = data.get("state")
    if state not in (states.RUNNING, states.SKIPPED):
        raise exc.InputError("Attribute 'state' must be RUNNING (rerun) or SKIPPED (skip), not %s" % (state or "missing"))
    if task.state != states.ERROR:
        raise exc.InputError(
            "Task '%s' [id=%s] is in state %s: only a task in ERROR can be %s"
            % (task.name, task.id, task.state, "rerun" if state == states.RUNNING else "skipped")
        )
    if state == states.RUNNING and "reset" not in data:
        raise exc.InputError("Attribute 'reset' is required to rerun a task: true reruns it whole, false only failed with-items items")
    if data.get("env") is not None and not isinstance(data["env"], (dict, str)):
        raise exc.InputError("Attribute 'env' must be an object")


class TasksController(rest.RestController):
    _custom_actions = {"action_executions": ["GET"], "workflow_executions": ["GET"], "executions": ["GET"]}

    @pecan.expose()
    @json_handler()
    def get_one(self, task_id):
        base.query_params(("fields",))

        def _load(session):
            task = db_ex.get_task_execution(session, task_id)
            return Task.from_row(task, result_of(session, task)).to_dict()

        return base.services().db.run(_load, readonly=True)

    @pecan.expose()
    @json_handler()
    def get_all(self, **_):
        return _list_tasks(base.list_url("/v2/tasks"))

    @pecan.expose()
    @json_handler()
    def put(self, task_id, **_):
        base.query_params(())
        svc = base.services()
        task = svc.db.run(db_ex.get_task_execution, task_id, readonly=True)
        data = body.parse(body.load_json(pecan.request), UPDATE_FIELDS, "task")
        _validate_rerun(task, data)
        skip = data["state"] == states.SKIPPED
        result = svc.engine_client.rerun_workflow(task_id, reset=data.get("reset", True), skip=skip, env=data.get("env"))
        return Task.from_row(result, None).to_dict()

    @pecan.expose()
    @json_handler()
    def action_executions(self, task_id, **_):
        base.services().db.run(db_ex.get_task_execution, task_id, readonly=True)
        return action_executions_ctrl.list_action_executions(
            base.list_url("/v2/tasks/%s/action_executions" % task_id), {"task_execution_id": ("eq", task_id)}
        )

    @pecan.expose()
    @json_handler()
    def workflow_executions(self, task_id, **_):
        base.query_params(())

        def _load(session):
            db_ex.get_task_execution(session, task_id)
            return [Execution.from_row(w).to_dict() for w in db_ex.sub_workflows_of_task(session, task_id)]

        return {"executions": base.services().db.run(_load, readonly=True)}


    @pecan.expose()
    @json_handler()
    def executions(self, task_id, **_):
        """GET /v2/tasks/<id>/executions: the task's sub-workflows and everything below them."""
        params = base.query_params(("errors_only", "max_depth"))
        errors_only, max_depth = base.flag_param(params, "errors_only"), base.int_param(params, "max_depth", -1)

        def _load(session):
            db_ex.get_task_execution(session, task_id)
            found = []
            for child in db_ex.sub_workflows_of_task(session, task_id):
                if not errors_only or child.state == states.ERROR:
                    found.append(child)
                if max_depth < 0 or max_depth > 1:
                    found.extend(reports.sub_executions(session, child.id, errors_only, max_depth - 1 if max_depth > 0 else -1))
            return [Execution.from_row(w).to_dict() for w in found]

        return {"executions": base.services().db.run(_load, readonly=True)}


class ExecutionTasksController(rest.RestController):
    """/v2/executions/<id>/tasks."""

    @pecan.expose()
    @json_handler()
    def get_all(self, execution_id, **_):
        base.services().db.run(db_ex.get_workflow_execution, execution_id, readonly=True)
        return _list_tasks(
            base.list_url("/v2/executions/%s/tasks" % execution_id), {"workflow_execution_id": ("eq", execution_id)}
        )
