"""/v2/actions: the actions workflows can call (system std.* actions and
those of installed packages)."""

import pecan
from pecan import rest

from mistral import exceptions as exc
from mistral.actions import registry
from mistral.api.controllers import base
from mistral.api.errors import json_handler
from mistral.api.resources.definitions import Action


def _resource(desc):
    return Action(
        id=desc.name,
        name=desc.name,
        namespace="",
        is_system=True,
        input=desc.input,
        description=desc.description,
        tags=[],
        scope="public",
    ).to_dict()


class ActionsController(rest.RestController):
    @pecan.expose()
    @json_handler()
    def get_one(self, name, *_):
        base.query_params(("namespace", "fields"))
        for desc in registry.list_actions():
            if desc.name == name:
                return _resource(desc)
        raise exc.DBEntityNotFoundError("Action not found [name=%s]" % name)

    @pecan.expose()
    @json_handler()
    def get_all(self, **_):
        params = base.query_params(("namespace", "fields", "limit", "marker", "sort_keys", "sort_dirs", "name", "scope", "is_system"))
        items = [_resource(d) for d in registry.list_actions()]
        if params.get("name"):
            items = [i for i in items if i["name"] == params["name"].split(":", 1)[-1]]
        return {"actions": items}
