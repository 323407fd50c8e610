"""Configuration: oslo.config option groups, one module per group.

``list_opts`` feeds oslo-config-generator (``etc/mistral-config-generator.conf``);
``parse_args`` loads the config files for a console script.
"""

import oslo_messaging
from oslo_config import cfg

from mistral.config import action_std_http, api, database, engine, executor, pecan_opts

CONF = cfg.CONF

_MODULES = (api, database, engine, executor, pecan_opts, action_std_http)


def register_opts(conf=CONF):
    """Register every option group of the service on ``conf``."""
    for mod in _MODULES:
        conf.register_opts(mod.OPTS, group=mod.GROUP)
    oslo_messaging.set_transport_defaults(control_exchange="mistral")


def list_opts():
    """Our options, for oslo-config-generator: ``[(group, [opts])]``.

    oslo.messaging's own options ([DEFAULT] transport_url, ...) are listed
    by its 'oslo.messaging' namespace.
    """
    return [(mod.GROUP, list(mod.OPTS)) for mod in _MODULES]


def parse_args(argv=None, conf=CONF, default_config_files=None):
    """Parse command-line arguments and config files into ``conf``."""
    register_opts(conf)
    conf(
        args=argv if argv is not None else [],
        project="mistral",
        default_config_files=default_config_files,
    )
    return conf


register_opts(CONF)
