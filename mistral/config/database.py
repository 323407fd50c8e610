"""``[database]``: the SQL database shared by all components."""

from oslo_config import cfg

GROUP = "database"

OPTS = [
    cfg.StrOpt(
        "connection",
        default="sqlite:///mistral.sqlite",
        secret=True,
        help="SQLAlchemy URL. The embedded default is a SQLite file in the "
        "current directory; use postgresql+psycopg2:// or mysql+pymysql:// "
        "to run several engines.",
    ),
    cfg.BoolOpt(
        "auto_create_schema",
        default=True,
        help="On start, run the migrations when the database is SQLite. "
        "Shared databases are upgraded with 'mistral-db-manage upgrade head'.",
    ),
    cfg.StrOpt(
        "sqlite_synchronous",
        default="NORMAL",
        choices=["OFF", "NORMAL", "FULL", "EXTRA"],
        help="SQLite 'synchronous' pragma (with WAL, NORMAL survives a process "
        "crash; FULL also survives a power loss).",
    ),
    cfg.IntOpt("sqlite_busy_timeout_ms", default=30000, help="SQLite busy timeout."),
    cfg.IntOpt("max_pool_size", default=10, help="Connection pool size (server databases)."),
    cfg.IntOpt("max_overflow", default=20, help="Extra connections above the pool size."),
    cfg.IntOpt("max_retries", default=10, help="Retries of a transaction that hit a deadlock."),
]
