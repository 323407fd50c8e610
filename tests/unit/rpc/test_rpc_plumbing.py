"""The RPC plumbing: versioned clients, threaded servers, in-process
transports, user errors keeping their class and HTTP code."""

import uuid

import oslo_messaging
import pytest
from oslo_config import cfg

from mistral import config, exceptions, rpc
from mistral.engine.rpcapi import EngineClient
from mistral.executor.rpcapi import ExecutorClient


def _conf(url):
    conf = cfg.ConfigOpts()
    config.register_opts(conf)
    rpc.register_opts(conf)
    conf([], default_config_files=[])
    conf.set_override("transport_url", url)
    conf.set_override("control_exchange", "unit_%s" % uuid.uuid4().hex)
    return conf


class Endpoint:
    target = oslo_messaging.Target(version="1.0")

    def __init__(self):
        self.cast_seen = []

    def ping(self, ctxt):
        return "pong"

    def rerun_workflow(self, ctxt, task_ex_id, reset=True, skip=False, env=None):
        raise exceptions.StateConflictError("Execution is PAUSED [task=%s]" % task_ex_id)

    def run_action(self, ctxt, **kwargs):
        self.cast_seen.append(kwargs)


@pytest.fixture(params=["inproc://", "fake://"])
def transport(request):
    conf = _conf(request.param)
    t = rpc.get_transport(conf)
    yield t
    t.cleanup()


@pytest.fixture
def endpoint(transport):
    ep = Endpoint()
    servers = [rpc.get_server(transport, topic, "s1", ep) for topic in ("mistral_engine", "mistral_executor")]
    for s in servers:
        s.start()
    yield ep
    for s in servers:
        s.stop()
        s.wait()


def test_engine_client_ping(transport, endpoint):
    assert EngineClient(transport, timeout=5).ping() == "pong"


def test_user_error_keeps_class_and_code(transport, endpoint):
    with pytest.raises(exceptions.StateConflictError) as err:
        EngineClient(transport, timeout=5).rerun_workflow("t-1", env={"a": 1})
    assert err.value.code == 409
    assert "PAUSED" in str(err.value)


def test_executor_cast_is_delivered(transport, endpoint):
    from functional_wait import wait_until

    ExecutorClient(transport).run_action("a-1", "std.noop", {}, False, None, {})
    wait_until(lambda: endpoint.cast_seen)
    assert endpoint.cast_seen[0]["action_ex_id"] == "a-1"


def test_in_process_detection():
    assert rpc.is_in_process(_conf("inproc://"))
    assert rpc.is_in_process(_conf("fake://"))
    assert not rpc.is_in_process(_conf("rabbit://guest:guest@127.0.0.1:5672/"))
