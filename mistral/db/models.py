"""SQLAlchemy models. The schema itself is built by the Alembic migrations;
a test checks that the two agree."""

import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy import orm

from mistral.db.types import JsonEncoded, datetime_type, long_text

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow():
    """Naive UTC now, truncated to microseconds (all datetimes are UTC)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def new_id():
    return str(uuid.uuid4())


class Base(orm.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

    def to_dict(self):
        """Column values as a plain dict (no relationships)."""
        return {c.key: getattr(self, c.key) for c in sa.inspect(self).mapper.column_attrs}


def _id():
    return orm.mapped_column(sa.String(36), primary_key=True, default=new_id)


def _created():
    return orm.mapped_column(datetime_type(), nullable=False, default=utcnow)


def _updated():
    return orm.mapped_column(datetime_type(), nullable=True, onupdate=utcnow)


class _Definition:
    id: orm.Mapped[str] = _id()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    namespace: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False, default="")
    definition: orm.Mapped[str] = orm.mapped_column(long_text(), nullable=True)
    spec = orm.mapped_column(JsonEncoded(), nullable=True)
    tags = orm.mapped_column(JsonEncoded(), nullable=True)
    scope: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False, default="private")
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False, default="<default-project>")
    created_at = _created()
    updated_at = _updated()


class WorkflowDefinition(_Definition, Base):
    __tablename__ = "workflow_definitions"
    __table_args__ = (sa.UniqueConstraint("name", "namespace", "project_id"),)

    input = orm.mapped_column(sa.Text(), nullable=True)
    is_system: orm.Mapped[bool] = orm.mapped_column(sa.Boolean(), nullable=False, default=False)
    workbook_name = orm.mapped_column(sa.String(255), nullable=True)


class WorkbookDefinition(_Definition, Base):
    __tablename__ = "workbook_definitions"
    __table_args__ = (sa.UniqueConstraint("name", "namespace", "project_id"),)


class ActionDefinition(_Definition, Base):
    __tablename__ = "action_definitions"
    __table_args__ = (sa.UniqueConstraint("name", "namespace", "project_id"),)

    input = orm.mapped_column(sa.Text(), nullable=True)
    description = orm.mapped_column(sa.Text(), nullable=True)
    is_system: orm.Mapped[bool] = orm.mapped_column(sa.Boolean(), nullable=False, default=False)
    workbook_name = orm.mapped_column(sa.String(255), nullable=True)


class Environment(Base):
    __tablename__ = "environments"
    __table_args__ = (sa.UniqueConstraint("name", "project_id"),)

    id: orm.Mapped[str] = _id()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(200), nullable=False)
    description = orm.mapped_column(sa.Text(), nullable=True)
    variables = orm.mapped_column(JsonEncoded(), nullable=True)
    scope: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False, default="private")
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False, default="<default-project>")
    created_at = _created()
    updated_at = _updated()


class WorkflowExecution(Base):
    __tablename__ = "workflow_executions"
    __table_args__ = (
        sa.Index(None, "root_execution_id"),
        sa.Index(None, "task_execution_id"),
        sa.Index(None, "state"),
        sa.Index(None, "created_at"),
    )

    id: orm.Mapped[str] = _id()
    name = orm.mapped_column(sa.String(255), nullable=True)
    description = orm.mapped_column(sa.Text(), nullable=True)
    workflow_name = orm.mapped_column(sa.String(255), nullable=True)
    workflow_namespace: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False, default="")
    workflow_id = orm.mapped_column(sa.String(36), nullable=True)
    # Loaded on demand: the engine caches parsed specs per execution.
    spec = orm.mapped_column(JsonEncoded(), nullable=True, deferred=True)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(20), nullable=False)
    state_info = orm.mapped_column(long_text(), nullable=True)
    tags = orm.mapped_column(JsonEncoded(), nullable=True)
    input = orm.mapped_column(JsonEncoded(), nullable=True)
    output = orm.mapped_column(JsonEncoded(), nullable=True)
    params = orm.mapped_column(JsonEncoded(), nullable=True)
    # Input + vars: the inbound context of the start tasks.
    context = orm.mapped_column(JsonEncoded(), nullable=True)
    runtime_context = orm.mapped_column(JsonEncoded(), nullable=True)
    root_execution_id = orm.mapped_column(sa.String(36), nullable=True)
    task_execution_id = orm.mapped_column(sa.String(36), nullable=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False, default="<default-project>")
    created_at = _created()
    updated_at = _updated()


class TaskExecution(Base):
    __tablename__ = "task_executions"
    __table_args__ = (
        sa.Index(None, "workflow_execution_id", "state"),
        sa.Index(None, "workflow_execution_id", "name"),
        sa.UniqueConstraint("workflow_execution_id", "unique_key"),
    )

    id: orm.Mapped[str] = _id()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    type: orm.Mapped[str] = orm.mapped_column(sa.String(10), nullable=False, default="ACTION")
    workflow_execution_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("workflow_executions.id", ondelete="CASCADE"), nullable=False
    )
    root_execution_id = orm.mapped_column(sa.String(36), nullable=True)
    workflow_name = orm.mapped_column(sa.String(255), nullable=True)
    workflow_namespace: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False, default="")
    workflow_id = orm.mapped_column(sa.String(36), nullable=True)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(20), nullable=False)
    state_info = orm.mapped_column(long_text(), nullable=True)
    tags = orm.mapped_column(JsonEncoded(), nullable=True)
    published = orm.mapped_column(JsonEncoded(), nullable=True)
    # Retry counters, with-items bookkeeping, the triggering tasks.
    runtime_context = orm.mapped_column(JsonEncoded(), nullable=True)
    processed: orm.Mapped[bool] = orm.mapped_column(sa.Boolean(), nullable=False, default=False)
    # Set for join tasks so concurrent engines create only one of them.
    unique_key = orm.mapped_column(sa.String(255), nullable=True)
    started_at = orm.mapped_column(datetime_type(), nullable=True)
    finished_at = orm.mapped_column(datetime_type(), nullable=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False, default="<default-project>")
    created_at = _created()
    updated_at = _updated()


class ActionExecution(Base):
    __tablename__ = "action_executions"
    __table_args__ = (sa.Index(None, "task_execution_id"), sa.Index(None, "state"))

    id: orm.Mapped[str] = _id()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False)
    description = orm.mapped_column(sa.Text(), nullable=True)
    task_execution_id = orm.mapped_column(
        sa.String(36), sa.ForeignKey("task_executions.id", ondelete="CASCADE"), nullable=True
    )
    workflow_name = orm.mapped_column(sa.String(255), nullable=True)
    workflow_namespace: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=False, default="")
    state: orm.Mapped[str] = orm.mapped_column(sa.String(20), nullable=False)
    state_info = orm.mapped_column(long_text(), nullable=True)
    tags = orm.mapped_column(JsonEncoded(), nullable=True)
    accepted: orm.Mapped[bool] = orm.mapped_column(sa.Boolean(), nullable=False, default=False)
    is_sync: orm.Mapped[bool] = orm.mapped_column(sa.Boolean(), nullable=False, default=True)
    input = orm.mapped_column(JsonEncoded(), nullable=True)
    output = orm.mapped_column(JsonEncoded(), nullable=True)
    runtime_context = orm.mapped_column(JsonEncoded(), nullable=True)
    # The executor running it (claimed with a CAS) and its last sign of life.
    executor_id = orm.mapped_column(sa.String(255), nullable=True)
    heartbeat_at = orm.mapped_column(datetime_type(), nullable=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False, default="<default-project>")
    created_at = _created()
    updated_at = _updated()


class ScheduledJob(Base):
    """Persisted delayed work (retries, waits, timeouts, join refreshes)."""

    __tablename__ = "scheduled_jobs"
    __table_args__ = (sa.Index(None, "run_after"), sa.UniqueConstraint("key"))

    id: orm.Mapped[str] = _id()
    job_type: orm.Mapped[str] = orm.mapped_column(sa.String(80), nullable=False)
    # Optional de-duplication key: at most one pending job per key.
    key = orm.mapped_column(sa.String(255), nullable=True)
    run_after = orm.mapped_column(datetime_type(), nullable=False)
    params = orm.mapped_column(JsonEncoded(), nullable=True)
    claimed_by = orm.mapped_column(sa.String(255), nullable=True)
    claimed_until = orm.mapped_column(datetime_type(), nullable=True)
    created_at = _created()
