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
    cfg.FloatOpt(
        "dispatch_timeout",
        default=30.0,
        help="Seconds after which an action no executor has claimed is dispatched again.",
    ),
    cfg.FloatOpt(
        "executor_lost_timeout",
        default=60.0,
        help="Seconds without a heartbeat after which a running action's executor "
        "is considered dead: the action runs again if it is safe-rerun, else fails.",
    ),
    cfg.FloatOpt("sweep_interval", default=5.0, help="Seconds between scans for lost actions."),
    cfg.FloatOpt("run_sync_timeout", default=50.0, help="Seconds a synchronous POST /v2/action_executions waits for the result."),
]
