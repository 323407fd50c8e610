"""Action definitions (read only here): ``/v2/actions``."""

from mistral.client.http import list_params, path, unwrap


class ActionManager:
    """List and read action definitions (system and ad-hoc)."""

    def __init__(self, http):
        self._http = http

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
            "/actions",
            params=list_params(marker, limit, sort_keys, sort_dirs, fields, filters),
        )
        return unwrap(body, "actions")

    def get(self, identifier, namespace=""):
        """Get an action definition by name or id."""
        params = [("namespace", namespace)] if namespace else None
        return self._http.get(path("actions", identifier), params=params)
