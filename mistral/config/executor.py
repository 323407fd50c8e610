"""``[executor]``: the action executor."""

from oslo_config import cfg

GROUP = "executor"

OPTS = [
    cfg.StrOpt("topic", default="mistral_executor", help="RPC topic of the executor."),
    cfg.StrOpt("host", default="0.0.0.0", help="Name of this executor in RPC."),
    cfg.IntOpt("workers", default=16, min=1, help="Threads running actions."),
    cfg.FloatOpt("heartbeat_interval", default=10.0, help="Seconds between heartbeats of running actions."),
    cfg.FloatOpt(
        "report_timeout",
        default=10.0,
        help="Seconds to wait for an engine to accept an action result before "
        "sending it again (to any engine).",
    ),
    cfg.FloatOpt("report_retry_for", default=600.0, help="Seconds to keep retrying the report of a result."),
]
