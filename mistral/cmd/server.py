"""mistral-server --server all|api|engine|executor (comma lists too)."""

import logging
import signal
import sys
import time
import warnings

from oslo_config import cfg

CLI_OPTS = [
    cfg.StrOpt(
        "server",
        default="all",
        help="Components to run in this process: all, or a comma list of api, engine, executor.",
    ),
]


def parse_components(value):
    from mistral.service import COMPONENTS

    parts = [p.strip() for p in (value or "all").split(",") if p.strip()]
    if "all" in parts:
        return list(COMPONENTS)
    return parts


def main(argv=None, components=None):
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from mistral import config, rpc
    from mistral.service import Launcher, Services

    conf = cfg.CONF
    if components is None:
        conf.register_cli_opts(CLI_OPTS)
    rpc.register_opts(conf)
    config.parse_args(sys.argv[1:] if argv is None else argv, conf)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    chosen = components or parse_components(conf.server)
    try:
        if rpc.is_in_process(conf) and set(chosen) != {"api", "engine", "executor"}:
            raise ValueError(
                "transport_url is %s, an in-process transport: it only works when api, engine and executor run "
                "in one process (--server all). Set [DEFAULT] transport_url to rabbit://... to run components apart."
                % (conf.transport_url or rpc.EMBEDDED_TRANSPORT)
            )
        launcher = Launcher(Services(conf), chosen)
    except ValueError as e:
        print("mistral-server: %s" % e, file=sys.stderr)
        return 2
    launcher.prepare_database()
    launcher.start()
    received = []

    def _on_signal(signum, _frame):
        # No locks in here: the handler runs in the main thread and a second
        # signal can interrupt it, so threading.Event.set() deadlocked on a
        # double SIGTERM. list.append is atomic.
        received.append(signum)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    print("mistral-server running: %s" % ", ".join(chosen), file=sys.stderr, flush=True)
    while not received:
        time.sleep(0.1)
    launcher.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
