"""RPC client of the executor (used by the engine)."""

from mistral import rpc


class ExecutorClient:
    """Versioned client of :class:`mistral.executor.manager.ExecutorManager`.

    1.0 - first version.
    """

    VERSION = "1.0"

    def __init__(self, transport, topic="mistral_executor", timeout=None):
        self._client = rpc.get_client(transport, topic, self.VERSION, timeout=timeout)

    def ping(self):
        return self._client.prepare(version=self.VERSION).call({}, "ping")

    def run_action(self, action_ex_id, action_name, action_input, safe_rerun, timeout, context=None):
        """Ask any executor to run an action; the result comes back as an
        ``on_action_complete`` cast to the engine."""
        self._client.prepare(version=self.VERSION).cast(
            {},
            "run_action",
            action_ex_id=action_ex_id,
            action_name=action_name,
            action_input=action_input,
            safe_rerun=safe_rerun,
            timeout=timeout,
            context=context,
        )
