"""GET / and GET /v2: the API versions."""

import pecan

from mistral.api.controllers.v2 import root as v2_root
from mistral.api.errors import json_handler


def _version():
    return {"id": "v2.0", "status": "CURRENT", "links": [{"href": pecan.request.host_url + "/v2", "rel": "self"}]}


class RootController:
    v2 = v2_root.V2Controller()

    @pecan.expose()
    @json_handler()
    def index(self):
        return {"versions": [_version()]}
