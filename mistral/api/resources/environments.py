"""Resource for named environments."""

import json

from wsme import types as wtypes

from mistral.api.resources import Resource, fmt_datetime


class Environment(Resource):
    """A named set of variables that executions can copy into their env."""

    id = wtypes.text
    name = wtypes.text
    description = wtypes.text
    variables = wtypes.text
    "The variables, as a JSON-encoded object."
    scope = wtypes.text
    project_id = wtypes.text
    created_at = wtypes.text
    updated_at = wtypes.text

    @classmethod
    def from_db(cls, obj):
        return cls(
            id=obj.id,
            name=obj.name,
            description=obj.description,
            variables=json.dumps(obj.variables or {}),
            scope=obj.scope,
            project_id=obj.project_id,
            created_at=fmt_datetime(obj.created_at),
            updated_at=fmt_datetime(obj.updated_at),
        )
