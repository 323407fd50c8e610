"""Workflow definitions: ``/v2/workflows``.

Definitions travel as text/plain YAML, with ``namespace`` and ``scope`` in
the query; answers are the JSON workflow resources.
"""

from mistral.client.http import list_params, path, unwrap


class WorkflowManager:
    """Create, update, read, delete and validate workflow definitions."""

    def __init__(self, http):
        self._http = http

    def create(self, definition, namespace="", scope="private"):
        """Upload a definition; returns the list of workflows it holds."""
        body = self._http.post(
            "/workflows",
            text=definition,
            params=[("namespace", namespace or ""), ("scope", scope)],
        )
        return unwrap(body, "workflows")

    def update(self, definition, namespace="", scope="private", id=None):
        """Replace definitions; returns a list, or one workflow with ``id``."""
        url = path("workflows", id) if id else "/workflows"
        body = self._http.put(
            url,
            text=definition,
            params=[("namespace", namespace or ""), ("scope", scope)],
        )
        return body if id else unwrap(body, "workflows")

    def list(
        self,
        namespace=None,
        marker=None,
        limit=None,
        sort_keys=None,
        sort_dirs=None,
        fields=None,
        filters=None,
    ):
        filters = dict(filters or {})
        if namespace:
            filters["namespace"] = namespace
        body = self._http.get(
            "/workflows",
            params=list_params(marker, limit, sort_keys, sort_dirs, fields, filters),
        )
        return unwrap(body, "workflows")

    def get(self, identifier, namespace=""):
        """Get a workflow by name or id."""
        return self._http.get(
            path("workflows", identifier), params=[("namespace", namespace or "")]
        )

    def delete(self, identifier, namespace=None):
        params = [("namespace", namespace)] if namespace else None
        self._http.delete(path("workflows", identifier), params=params)

    def validate(self, definition):
        """Returns ``{"valid": bool, "error": str or None}``."""
        return self._http.post("/workflows/validate", text=definition)
