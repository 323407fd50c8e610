"""GET /v2 and the v2 resource tree."""

import pecan

from mistral.api.controllers.v2 import action_executions, actions, environments, executions, tasks, workbooks, workflows
from mistral.api.errors import json_handler


class V2Controller:
    workflows = workflows.WorkflowsController()
    workbooks = workbooks.WorkbooksController()
    environments = environments.EnvironmentsController()
    executions = executions.ExecutionsController()
    tasks = tasks.TasksController()
    action_executions = action_executions.ActionExecutionsController()
    actions = actions.ActionsController()

    @pecan.expose()
    @json_handler()
    def index(self):
        return {"version": {"id": "v2.0", "status": "CURRENT", "links": [{"href": pecan.request.host_url + "/v2", "rel": "self"}]}}
