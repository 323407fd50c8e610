"""Stored environments: ``/v2/environments``.

``variables`` travels as a JSON-encoded string, as Mistral expects; it is
returned as the server sends it (a JSON string).
"""

import json

from mistral.client.http import list_params, path, unwrap


def _body(name, variables, description, scope):
    body = {"name": name}
    if variables is not None:
        body["variables"] = (
            variables if isinstance(variables, str) else json.dumps(variables)
        )
    if description is not None:
        body["description"] = description
    if scope is not None:
        body["scope"] = scope
    return body


class EnvironmentManager:
    """Create, update, read and delete stored environments."""

    def __init__(self, http):
        self._http = http

    def create(self, name, variables, description=None, scope=None):
        return self._http.post(
            "/environments", json=_body(name, variables, description, scope)
        )

    def update(self, name, variables=None, description=None, scope=None):
        return self._http.put(
            "/environments", json=_body(name, variables, description, scope)
        )

    def list(
        self,
        marker=None,
        limit=None,
        sort_keys=None,
        sort_dirs=None,
        fields=None,
        filters=None,
    ):
        body = self._http.get(
            "/environments",
            params=list_params(marker, limit, sort_keys, sort_dirs, fields, filters),
        )
        return unwrap(body, "environments")

    def get(self, name):
        return self._http.get(path("environments", name))

    def delete(self, name):
        self._http.delete(path("environments", name))
