"""``[executor]``: the action executor."""

from oslo_config import cfg

GROUP = "executor"

OPTS = [
    cfg.StrOpt("topic", default="mistral_executor", help="RPC topic of the executor."),
    cfg.StrOpt("host", default="0.0.0.0", help="Name of this executor in RPC."),
    cfg.IntOpt("workers", default=16, min=1, help="Threads running actions."),
]
