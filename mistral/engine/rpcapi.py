"""RPC client of the engine (used by the API and the executor).

Every method returns plain dicts; user errors arrive as the exceptions of
``mistral.exceptions`` and keep their HTTP code.
"""

from mistral import rpc


class EngineClient:
    """Versioned client of :class:`mistral.engine.manager.EngineManager`.

    1.0 - first version.
    """

    VERSION = "1.0"

    def __init__(self, transport, topic="mistral_engine", timeout=None):
        self._client = rpc.get_client(transport, topic, self.VERSION, timeout=timeout)

    def _call(self, method, **kwargs):
        return self._client.prepare(version=self.VERSION).call({}, method, **kwargs)

    def _cast(self, method, **kwargs):
        self._client.prepare(version=self.VERSION).cast({}, method, **kwargs)

    def ping(self):
        return self._call("ping")

    def start_workflow(self, wf_identifier, namespace, wf_input, description, params, ex_id=None):
        return self._call(
            "start_workflow",
            wf_identifier=wf_identifier,
            namespace=namespace,
            wf_input=wf_input,
            description=description,
            params=params,
            ex_id=ex_id,
        )

    def pause_workflow(self, ex_id):
        return self._call("pause_workflow", ex_id=ex_id)

    def resume_workflow(self, ex_id, env=None):
        return self._call("resume_workflow", ex_id=ex_id, env=env)

    def update_env(self, ex_id, env):
        return self._call("update_env", ex_id=ex_id, env=env)

    def stop_workflow(self, ex_id, state, message=None):
        return self._call("stop_workflow", ex_id=ex_id, state=state, message=message)

    def rerun_workflow(self, task_ex_id, reset=True, skip=False, env=None):
        return self._call("rerun_workflow", task_ex_id=task_ex_id, reset=reset, skip=skip, env=env)

    def start_action(self, action_name, action_input, description=None, params=None):
        return self._call("start_action", action_name=action_name, action_input=action_input, description=description, params=params)

    def on_action_complete(self, action_ex_id, result):
        """Deliver an action result and wait for the engine to apply it."""
        return self._call("on_action_complete", action_ex_id=action_ex_id, result=result)

    def report_action_result(self, action_ex_id, result):
        """Deliver an action result without waiting (executor -> engine)."""
        self._cast("on_action_complete", action_ex_id=action_ex_id, result=result)
