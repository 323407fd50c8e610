"""Run the Alembic migrations programmatically (mistral-db-manage, the
embedded default's first start, and the test fixtures)."""

import os
import sys

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory


def script_location():
    """The folder holding env.py and versions/.

    From a source tree or an editable install it is ``<repo>/alembic``; after
    ``pip install .`` setup.cfg's data_files put it under
    ``<prefix>/share/mistral/alembic``.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [
        os.path.join(here, "..", "..", "alembic"),
        os.path.join(sys.prefix, "share", "mistral", "alembic"),
    ]
    for path in candidates:
        if os.path.isfile(os.path.join(path, "env.py")):
            return os.path.normpath(path)
    raise RuntimeError("Alembic migrations not found (looked in %s)" % ", ".join(candidates))


def alembic_config(database=None):
    cfg = Config()
    cfg.set_main_option("script_location", script_location())
    if database is not None:
        cfg.set_main_option("sqlalchemy.url", database.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def _with_connection(database, fn, *args, **kwargs):
    cfg = alembic_config(database)
    with database.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        return fn(cfg, *args, **kwargs)


def upgrade(database, revision="head"):
    _with_connection(database, command.upgrade, revision)


def downgrade(database, revision):
    _with_connection(database, command.downgrade, revision)


def stamp(database, revision):
    _with_connection(database, command.stamp, revision)


def current(database, verbose=False):
    _with_connection(database, command.current, verbose=verbose)


def revision(database, message, autogenerate=False):
    _with_connection(database, command.revision, message=message, autogenerate=autogenerate)


def heads():
    return ScriptDirectory.from_config(alembic_config()).get_heads()
