"""``[api]``: the REST API server."""

from oslo_config import cfg

GROUP = "api"

OPTS = [
    cfg.HostAddressOpt("host", default="127.0.0.1", help="Address the API listens on."),
    cfg.PortOpt("port", default=8989, help="Port the API listens on."),
    cfg.IntOpt("api_workers", default=8, min=1, help="Threads serving API requests."),
    cfg.IntOpt(
        "max_list_limit",
        default=1000,
        min=1,
        help="Largest page a list request may ask for with 'limit'.",
    ),
    cfg.IntOpt("default_list_limit", default=100, min=1, help="Page size when 'limit' is not given."),
    cfg.BoolOpt(
        "allow_action_execution_deletion",
        default=False,
        help="Allow DELETE /v2/action_executions/<id>.",
    ),
]
