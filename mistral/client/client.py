"""The client object: one HTTP session and a manager per resource."""

from mistral.client.action_executions import ActionExecutionManager
from mistral.client.actions import ActionManager
from mistral.client.environments import EnvironmentManager
from mistral.client.executions import ExecutionManager
from mistral.client.http import DEFAULT_TIMEOUT, DEFAULT_URL, HTTPClient
from mistral.client.tasks import TaskManager
from mistral.client.workbooks import WorkbookManager
from mistral.client.workflows import WorkflowManager


class Client:
    """Access to a Mistral API v2 endpoint.

    :param base_url: e.g. ``http://127.0.0.1:8989/v2``.
    :param auth_token: sent as ``X-Auth-Token`` when the API requires it.
    """

    def __init__(self, base_url=DEFAULT_URL, auth_token=None, timeout=DEFAULT_TIMEOUT):
        self.http = HTTPClient(base_url, auth_token=auth_token, timeout=timeout)
        self.workflows = WorkflowManager(self.http)
        self.workbooks = WorkbookManager(self.http)
        self.executions = ExecutionManager(self.http)
        self.tasks = TaskManager(self.http)
        self.action_executions = ActionExecutionManager(self.http)
        self.actions = ActionManager(self.http)
        self.environments = EnvironmentManager(self.http)
