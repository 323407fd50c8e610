"""``[action_std_http]``: egress policy of the std.http action."""

from oslo_config import cfg

GROUP = "action_std_http"

OPTS = [
    cfg.ListOpt(
        "allowed_hosts",
        default=[],
        help="If set, std.http may only call these host names or addresses.",
    ),
    cfg.ListOpt(
        "denied_cidrs",
        default=["169.254.0.0/16", "fe80::/10"],
        help="Address ranges std.http may not call (default: link-local, "
        "where cloud metadata services live). Loopback is allowed so the "
        "embedded default can call local services.",
    ),
]
