"""mistral-db-manage upgrade|downgrade|current|stamp|revision."""

import argparse
import sys
import warnings


def main(argv=None):
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from oslo_config import cfg

    from mistral import config
    from mistral.db import migration, session

    parser = argparse.ArgumentParser(prog="mistral-db-manage", description="Manage the mistral database schema.")
    parser.add_argument("--config-file", action="append", default=[], help="mistral.conf path (repeatable)")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade", help="Upgrade the schema (default: to head)")
    up.add_argument("revision", nargs="?", default="head")
    down = sub.add_parser("downgrade", help="Downgrade the schema")
    down.add_argument("revision")
    sub.add_parser("current", help="Show the current revision")
    st = sub.add_parser("stamp", help="Set the revision without migrating")
    st.add_argument("revision")
    rev = sub.add_parser("revision", help="Create a new migration")
    rev.add_argument("-m", "--message", required=True)
    rev.add_argument("--autogenerate", action="store_true")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    conf = cfg.CONF
    cli = []
    for path in args.config_file:
        cli += ["--config-file", path]
    config.parse_args(cli, conf)
    db = session.from_config(conf)
    if args.command == "upgrade":
        migration.upgrade(db, args.revision)
    elif args.command == "downgrade":
        migration.downgrade(db, args.revision)
    elif args.command == "current":
        migration.current(db, verbose=True)
    elif args.command == "stamp":
        migration.stamp(db, args.revision)
    elif args.command == "revision":
        migration.revision(db, args.message, autogenerate=args.autogenerate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
