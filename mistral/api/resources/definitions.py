"""Resources for definitions: workflows, workbooks, ad-hoc actions."""

from wsme import types as wtypes

from mistral.api.resources import Resource, fmt_datetime


class Workflow(Resource):
    """A workflow definition."""

    id = wtypes.text
    name = wtypes.text
    namespace = wtypes.text
    input = wtypes.text
    "The workflow's input parameters as text, e.g. 'a, b=1'."
    definition = wtypes.text
    "The YAML text of the definition."
    tags = [wtypes.text]
    scope = wtypes.text
    project_id = wtypes.text
    interface = wtypes.text
    created_at = wtypes.text
    updated_at = wtypes.text

    @classmethod
    def from_db(cls, obj):
        spec = obj.spec or {}
        return cls(
            id=obj.id,
            name=obj.name,
            namespace=obj.namespace,
            input=obj.input or "",
            definition=obj.definition,
            tags=obj.tags or [],
            scope=obj.scope,
            project_id=obj.project_id,
            interface=_interface(spec),
            created_at=fmt_datetime(obj.created_at),
            updated_at=fmt_datetime(obj.updated_at),
        )

    @classmethod
    def sample(cls):
        return cls(id="123e4567-e89b-12d3-a456-426655440000", name="flow", namespace="", input="param1", scope="private")


def _interface(spec):
    import json

    inputs = []
    for item in spec.get("input") or []:
        inputs.append({item["name"]: item["default"]} if "default" in item else item["name"])
    output = spec.get("output")
    return json.dumps({"input": inputs, "output": list(output) if isinstance(output, dict) else []})


class Workbook(Resource):
    """A workbook: several workflows and actions under one name."""

    id = wtypes.text
    name = wtypes.text
    namespace = wtypes.text
    definition = wtypes.text
    tags = [wtypes.text]
    scope = wtypes.text
    project_id = wtypes.text
    created_at = wtypes.text
    updated_at = wtypes.text

    @classmethod
    def from_db(cls, obj):
        return cls(
            id=obj.id,
            name=obj.name,
            namespace=obj.namespace,
            definition=obj.definition,
            tags=obj.tags or [],
            scope=obj.scope,
            project_id=obj.project_id,
            created_at=fmt_datetime(obj.created_at),
            updated_at=fmt_datetime(obj.updated_at),
        )


class Action(Resource):
    """An action definition (a system std.* action or an ad-hoc action)."""

    id = wtypes.text
    name = wtypes.text
    namespace = wtypes.text
    is_system = bool
    input = wtypes.text
    description = wtypes.text
    tags = [wtypes.text]
    definition = wtypes.text
    scope = wtypes.text
    project_id = wtypes.text
    created_at = wtypes.text
    updated_at = wtypes.text

    @classmethod
    def from_db(cls, obj):
        return cls(
            id=obj.id,
            name=obj.name,
            namespace=obj.namespace,
            is_system=obj.is_system,
            input=obj.input or "",
            description=obj.description,
            tags=obj.tags or [],
            definition=obj.definition,
            scope=obj.scope,
            project_id=obj.project_id,
            created_at=fmt_datetime(obj.created_at),
            updated_at=fmt_datetime(obj.updated_at),
        )
