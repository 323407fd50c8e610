"""Task executions: ``/v2/tasks`` and ``/v2/executions/<id>/tasks``.

Rerun and skip are ``PUT /v2/tasks/<id>``; the rerun env travels as a
JSON-encoded string, as python-mistralclient sends it.
"""

import json

from mistral.client.http import list_params, path, unwrap


class TaskManager:
    """Read, rerun and skip task executions."""

    def __init__(self, http):
        self._http = http

    def list(
        self,
        workflow_execution_id=None,
        marker=None,
        limit=None,
        sort_keys=None,
        sort_dirs=None,
        fields=None,
        filters=None,
    ):
        url = (
            path("executions", workflow_execution_id, "tasks")
            if workflow_execution_id
            else "/tasks"
        )
        body = self._http.get(
            url,
            params=list_params(marker, limit, sort_keys, sort_dirs, fields, filters),
        )
        return unwrap(body, "tasks")

    def get(self, id):
        return self._http.get(path("tasks", id))

    def rerun(self, id, reset=True, env=None):
        """Run a failed task again.

        :param reset: False reruns only the failed items of a with-items
            task, keeping the successful ones.
        :param env: a dict merged into the root execution's env first.
        :returns: the task, in its new state.
        """
        body = {"id": id, "state": "RUNNING", "reset": reset}
        if env:
            body["env"] = json.dumps(env)
        return self._http.put(path("tasks", id), json=body)

    def skip(self, id):
        """Mark a failed task SKIPPED; the workflow goes on past it."""
        return self._http.put(path("tasks", id), json={"state": "SKIPPED"})
