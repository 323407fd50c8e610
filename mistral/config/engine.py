"""``[engine]``: the workflow engine."""

from oslo_config import cfg

GROUP = "engine"

OPTS = [
    cfg.StrOpt("topic", default="mistral_engine", help="RPC topic of the engine."),
    cfg.StrOpt("host", default="0.0.0.0", help="Name of this engine in RPC."),
    cfg.IntOpt(
        "execution_field_size_limit_kb",
        default=1024,
        help="Largest size (KiB) of input, output, params and published "
        "values; -1 for no limit.",
    ),
    cfg.FloatOpt(
        "scheduler_poll_interval",
        default=0.2,
        help="Seconds between scans for due scheduled jobs.",
    ),
    cfg.IntOpt(
        "action_lost_timeout",
        default=0,
        help="Seconds after which an action with no result is considered "
        "lost at engine start (0: only those of a dead process).",
    ),
]
