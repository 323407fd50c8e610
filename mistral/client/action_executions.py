"""Action executions: ``/v2/action_executions``."""

from mistral.client.http import list_params, path, unwrap


class ActionExecutionManager:
    """Read, update (complete) and delete action executions."""

    def __init__(self, http):
        self._http = http

    def list(
        self,
        task_execution_id=None,
        marker=None,
        limit=None,
        sort_keys=None,
        sort_dirs=None,
        fields=None,
        filters=None,
    ):
        url = (
            path("tasks", task_execution_id, "action_executions")
            if task_execution_id
            else "/action_executions"
        )
        body = self._http.get(
            url,
            params=list_params(marker, limit, sort_keys, sort_dirs, fields, filters),
        )
        return unwrap(body, "action_executions")

    def get(self, id):
        return self._http.get(path("action_executions", id))

    def update(self, id, state=None, output=None):
        """Set the state and/or output, e.g. to complete an async action.

        :param output: any JSON value, sent as it is.
        """
        body = {}
        if state:
            body["state"] = state
        if output is not None:
            body["output"] = output
        return self._http.put(path("action_executions", id), json=body)

    def delete(self, id):
        self._http.delete(path("action_executions", id))
