"""``[pecan]``: options of the Pecan application."""

from oslo_config import cfg

GROUP = "pecan"

OPTS = [
    cfg.BoolOpt("auth_enable", default=False, help="Require Keystone authentication (not supported yet)."),
    cfg.BoolOpt("debug", default=False, help="Pecan debug mode (never in production)."),
]
