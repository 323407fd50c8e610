"""Workflow executions: ``/v2/executions``.

Starting an execution sends ``input`` and ``params`` as JSON-encoded
strings (as python-mistralclient does); updating one sends ``params`` as an
object, e.g. ``{"env": {...}}``.
"""

import json
import uuid

from mistral.client.http import list_params, path, unwrap


def is_uuid(value):
    """True when ``value`` is a UUID (then it names a workflow by id)."""
    try:
        return uuid.UUID(value).hex == value.replace("-", "").lower()
    except (TypeError, ValueError, AttributeError):
        return False


class ExecutionManager:
    """Start, read, update and delete workflow executions."""

    def __init__(self, http):
        self._http = http

    def create(
        self,
        workflow_identifier=None,
        namespace="",
        workflow_input=None,
        params=None,
        description="",
        source_execution_id=None,
    ):
        """Start a workflow.

        :param workflow_identifier: workflow name, or id (a UUID).
        :param workflow_input: a dict (or an already encoded JSON string).
        :param params: a dict such as ``{"env": {...}}``.
        :param source_execution_id: start again from this execution's
            workflow, input and params.
        :returns: the new execution.
        """
        body = {"description": description or ""}
        if workflow_identifier:
            key = "workflow_id" if is_uuid(workflow_identifier) else "workflow_name"
            body[key] = workflow_identifier
        if source_execution_id:
            body["source_execution_id"] = source_execution_id
        body["workflow_namespace"] = namespace or ""
        if isinstance(workflow_input, str):
            body["input"] = workflow_input
        else:
            body["input"] = json.dumps(workflow_input or {})
        body["params"] = json.dumps(params or {})
        return self._http.post("/executions", json=body)

    def update(
        self, id, state=None, description=None, env=None, state_info=None, params=None
    ):
        """Change state, description or env of an execution.

        :param env: merged into the execution's env (a dict, or the name of
            a stored environment); sent as ``params.env``.
        """
        body = {}
        if state:
            body["state"] = state
        if state_info is not None:
            body["state_info"] = state_info
        if description is not None:
            body["description"] = description
        if env is not None or params:
            body["params"] = dict(params or {})
            if env is not None:
                body["params"]["env"] = env
        return self._http.put(path("executions", id), json=body)

    def list(
        self,
        task=None,
        marker=None,
        limit=None,
        sort_keys=None,
        sort_dirs=None,
        fields=None,
        filters=None,
        root_only=False,
    ):
        """List executions.

        :param task: only sub-workflow executions of this task execution.
        :param root_only: only executions without a parent.
        """
        filters = dict(filters or {})
        if task:
            filters["task_execution_id"] = task
        if root_only:
            filters["nulls"] = "root_execution_id"
        body = self._http.get(
            "/executions",
            params=list_params(marker, limit, sort_keys, sort_dirs, fields, filters),
        )
        return unwrap(body, "executions")

    def get(self, id):
        return self._http.get(path("executions", id))

    def delete(self, id, force=False):
        """Delete an execution; ``force`` also deletes an unfinished one."""
        params = [("force", "true")] if force else None
        self._http.delete(path("executions", id), params=params)
