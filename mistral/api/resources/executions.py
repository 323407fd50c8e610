"""Resources for executions: workflow executions, task executions, action
executions. JSON fields are JSON-encoded strings, as in Mistral."""

import json

from wsme import types as wtypes

from mistral.api.resources import Resource, fmt_datetime


def _dumps(value, default=None):
    if value is None:
        value = default
    return None if value is None else json.dumps(value)


def _dt(value):
    if value is None or isinstance(value, str):
        return value
    return fmt_datetime(value)


def _get(obj, key):
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key)


class Execution(Resource):
    """A workflow execution."""

    id = wtypes.text
    workflow_id = wtypes.text
    workflow_name = wtypes.text
    workflow_namespace = wtypes.text
    description = wtypes.text
    tags = [wtypes.text]
    params = wtypes.text
    "JSON-encoded params; the root execution's holds 'env'."
    task_execution_id = wtypes.text
    root_execution_id = wtypes.text
    source_execution_id = wtypes.text
    state = wtypes.text
    state_info = wtypes.text
    input = wtypes.text
    output = wtypes.text
    published_global = wtypes.text
    project_id = wtypes.text
    created_at = wtypes.text
    updated_at = wtypes.text

    @classmethod
    def from_row(cls, obj):
        """From a row or the engine's dict of one."""
        params = dict(_get(obj, "params") or {})
        if _get(obj, "task_execution_id"):
            params["env"] = {}
        return cls(
            id=_get(obj, "id"),
            workflow_id=_get(obj, "workflow_id"),
            workflow_name=_get(obj, "workflow_name"),
            workflow_namespace=_get(obj, "workflow_namespace") or "",
            description=_get(obj, "description") or "",
            tags=_get(obj, "tags") or [],
            params=json.dumps(params),
            task_execution_id=_get(obj, "task_execution_id"),
            root_execution_id=_get(obj, "root_execution_id"),
            state=_get(obj, "state"),
            state_info=_get(obj, "state_info"),
            input=_dumps(_get(obj, "input"), {}),
            output=_dumps(_get(obj, "output"), {}),
            published_global=json.dumps({}),
            project_id=_get(obj, "project_id"),
            created_at=_dt(_get(obj, "created_at")),
            updated_at=_dt(_get(obj, "updated_at")),
        )


class Task(Resource):
    """A task execution."""

    id = wtypes.text
    name = wtypes.text
    type = wtypes.text
    workflow_name = wtypes.text
    workflow_namespace = wtypes.text
    workflow_id = wtypes.text
    workflow_execution_id = wtypes.text
    tags = [wtypes.text]
    state = wtypes.text
    state_info = wtypes.text
    result = wtypes.text
    "JSON-encoded result: the action's result, or a list for with-items."
    published = wtypes.text
    published_global = wtypes.text
    runtime_context = wtypes.text
    processed = bool
    reset = bool
    env = wtypes.text
    project_id = wtypes.text
    created_at = wtypes.text
    updated_at = wtypes.text
    started_at = wtypes.text
    finished_at = wtypes.text

    @classmethod
    def from_row(cls, obj, result=None):
        rt = dict(_get(obj, "runtime_context") or {})
        rt.pop("pending_completion", None)
        return cls(
            id=_get(obj, "id"),
            name=_get(obj, "name"),
            type=_get(obj, "type"),
            workflow_name=_get(obj, "workflow_name"),
            workflow_namespace=_get(obj, "workflow_namespace") or "",
            workflow_id=_get(obj, "workflow_id"),
            workflow_execution_id=_get(obj, "workflow_execution_id"),
            tags=_get(obj, "tags") or [],
            state=_get(obj, "state"),
            state_info=_get(obj, "state_info"),
            result=json.dumps(result),
            published=_dumps(_get(obj, "published"), {}),
            # publish-global is not supported: null, so clients show nothing for it.
            published_global=None,
            runtime_context=json.dumps(rt),
            processed=bool(_get(obj, "processed")),
            project_id=_get(obj, "project_id"),
            created_at=_dt(_get(obj, "created_at")),
            updated_at=_dt(_get(obj, "updated_at")),
            started_at=_dt(_get(obj, "started_at")),
            finished_at=_dt(_get(obj, "finished_at")),
        )


class ActionExecution(Resource):
    """An action execution."""

    id = wtypes.text
    name = wtypes.text
    workflow_name = wtypes.text
    workflow_namespace = wtypes.text
    task_name = wtypes.text
    task_execution_id = wtypes.text
    state = wtypes.text
    state_info = wtypes.text
    tags = [wtypes.text]
    accepted = bool
    input = wtypes.text
    output = wtypes.text
    params = wtypes.text
    description = wtypes.text
    project_id = wtypes.text
    created_at = wtypes.text
    updated_at = wtypes.text

    @classmethod
    def from_row(cls, obj, task_name=None):
        return cls(
            id=_get(obj, "id"),
            name=_get(obj, "name"),
            workflow_name=_get(obj, "workflow_name"),
            workflow_namespace=_get(obj, "workflow_namespace") or "",
            task_name=task_name,
            task_execution_id=_get(obj, "task_execution_id"),
            state=_get(obj, "state"),
            state_info=_get(obj, "state_info"),
            tags=_get(obj, "tags") or [],
            accepted=bool(_get(obj, "accepted")),
            input=_dumps(_get(obj, "input"), {}),
            output=_dumps(_get(obj, "output"), {}),
            params=json.dumps({}),
            description=_get(obj, "description") or "",
            project_id=_get(obj, "project_id"),
            created_at=_dt(_get(obj, "created_at")),
            updated_at=_dt(_get(obj, "updated_at")),
        )
