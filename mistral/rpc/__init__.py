"""oslo.messaging plumbing shared by the RPC boundaries (api->engine,
engine->executor, executor->engine): transports, targets, servers.

RPC servers always use the 'threading' executor (never eventlet).
"""

import logging

import oslo_messaging
from oslo_config import cfg

from mistral import exceptions

LOG = logging.getLogger(__name__)

EMBEDDED_TRANSPORT = "inproc://"


def register_opts(conf):
    """Register oslo.messaging's [DEFAULT] options and our default transport."""
    from oslo_messaging import opts as messaging_opts

    for group, opts in messaging_opts.list_opts():
        for opt in opts:
            try:
                conf.register_opt(opt, group=None if group in (None, "DEFAULT") else group)
            except cfg.DuplicateOptError:
                pass
    # oslo.messaging registers some groups (tracing, metrics) on the global
    # CONF only, but reads them from the transport's conf: copy them over.
    if conf is not cfg.CONF:
        for group_name in list(cfg.CONF):
            if not group_name.startswith("oslo_messaging") or not isinstance(getattr(cfg.CONF, group_name), cfg.ConfigOpts.GroupAttr):
                continue
            for opt_name in getattr(cfg.CONF, group_name):
                try:
                    conf.register_opt(cfg.CONF._get_opt_info(opt_name, group_name)["opt"], group=group_name)
                except cfg.DuplicateOptError:
                    pass
    conf.set_default("transport_url", EMBEDDED_TRANSPORT)


def is_in_process(conf):
    """True when the transport only works inside one process (inproc://, fake://)."""
    return (conf.transport_url or EMBEDDED_TRANSPORT).split(":", 1)[0] in ("inproc", "fake")


def get_transport(conf):
    return oslo_messaging.get_rpc_transport(conf, allowed_remote_exmods=exceptions.ALLOWED_REMOTE_EXMODS)


def get_server(transport, topic, server, endpoint):
    """A threaded RPC server for one manager object on ``topic``."""
    target = oslo_messaging.Target(topic=topic, server=server, version=endpoint.target.version)
    return oslo_messaging.get_rpc_server(transport, target, [endpoint])


def get_client(transport, topic, version, timeout=None):
    target = oslo_messaging.Target(topic=topic, version=version)
    return oslo_messaging.get_rpc_client(transport, target, timeout=timeout)
