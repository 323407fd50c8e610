"""Workbook definitions: ``/v2/workbooks``.

Like workflows, workbooks travel as text/plain YAML with ``namespace`` and
``scope`` in the query; a workbook is addressed by its name.
"""

from mistral.client.http import list_params, path, unwrap


class WorkbookManager:
    """Create, update, read, delete and validate workbooks."""

    def __init__(self, http):
        self._http = http

    def create(self, definition, namespace="", scope="private"):
        return self._http.post(
            "/workbooks",
            text=definition,
            params=[("namespace", namespace or ""), ("scope", scope)],
        )

    def update(self, definition, namespace="", scope="private"):
        return self._http.put(
            "/workbooks",
            text=definition,
            params=[("namespace", namespace or ""), ("scope", scope)],
        )

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
            "/workbooks",
            params=list_params(marker, limit, sort_keys, sort_dirs, fields, filters),
        )
        return unwrap(body, "workbooks")

    def get(self, name, namespace=""):
        return self._http.get(
            path("workbooks", name), params=[("namespace", namespace or "")]
        )

    def delete(self, name, namespace=None):
        params = [("namespace", namespace)] if namespace else None
        self._http.delete(path("workbooks", name), params=params)

    def validate(self, definition):
        """Returns ``{"valid": bool, "error": str or None}``."""
        return self._http.post("/workbooks/validate", text=definition)
