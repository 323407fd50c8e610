"""Alembic environment: runs the migrations on the connection given by
``mistral.db.migration`` (or on ``sqlalchemy.url`` when run by hand)."""

from alembic import context
import sqlalchemy as sa

from mistral.db import models

config = context.config
target_metadata = models.Base.metadata


def _run(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
