"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

import mistral.db.types
from sqlalchemy.dialects import mysql
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('action_definitions',
    sa.Column('input', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_system', sa.Boolean(), nullable=False),
    sa.Column('workbook_name', sa.String(length=255), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('namespace', sa.String(length=255), nullable=False),
    sa.Column('definition', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=True),
    sa.Column('spec', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('tags', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('project_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('updated_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_definitions')),
    sa.UniqueConstraint('name', 'namespace', 'project_id', name=op.f('uq_action_definitions_name_namespace_project_id'))
    )
    op.create_table('environments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('variables', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('project_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('updated_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_environments')),
    sa.UniqueConstraint('name', 'project_id', name=op.f('uq_environments_name_project_id'))
    )
    op.create_table('scheduled_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('job_type', sa.String(length=80), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=True),
    sa.Column('run_after', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('params', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('claimed_by', sa.String(length=255), nullable=True),
    sa.Column('claimed_until', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_jobs')),
    sa.UniqueConstraint('key', name=op.f('uq_scheduled_jobs_key'))
    )
    with op.batch_alter_table('scheduled_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduled_jobs_run_after'), ['run_after'], unique=False)

    op.create_table('workbook_definitions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('namespace', sa.String(length=255), nullable=False),
    sa.Column('definition', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=True),
    sa.Column('spec', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('tags', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('project_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('updated_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workbook_definitions')),
    sa.UniqueConstraint('name', 'namespace', 'project_id', name=op.f('uq_workbook_definitions_name_namespace_project_id'))
    )
    op.create_table('workflow_definitions',
    sa.Column('input', sa.Text(), nullable=True),
    sa.Column('is_system', sa.Boolean(), nullable=False),
    sa.Column('workbook_name', sa.String(length=255), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('namespace', sa.String(length=255), nullable=False),
    sa.Column('definition', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=True),
    sa.Column('spec', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('tags', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('project_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('updated_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_definitions')),
    sa.UniqueConstraint('name', 'namespace', 'project_id', name=op.f('uq_workflow_definitions_name_namespace_project_id'))
    )
    op.create_table('workflow_executions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('workflow_name', sa.String(length=255), nullable=True),
    sa.Column('workflow_namespace', sa.String(length=255), nullable=False),
    sa.Column('workflow_id', sa.String(length=36), nullable=True),
    sa.Column('spec', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_info', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=True),
    sa.Column('tags', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('input', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('output', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('params', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('context', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('runtime_context', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('root_execution_id', sa.String(length=36), nullable=True),
    sa.Column('task_execution_id', sa.String(length=36), nullable=True),
    sa.Column('project_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('updated_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_executions'))
    )
    with op.batch_alter_table('workflow_executions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workflow_executions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_executions_root_execution_id'), ['root_execution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_executions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_workflow_executions_task_execution_id'), ['task_execution_id'], unique=False)

    op.create_table('task_executions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('workflow_execution_id', sa.String(length=36), nullable=False),
    sa.Column('root_execution_id', sa.String(length=36), nullable=True),
    sa.Column('workflow_name', sa.String(length=255), nullable=True),
    sa.Column('workflow_namespace', sa.String(length=255), nullable=False),
    sa.Column('workflow_id', sa.String(length=36), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_info', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=True),
    sa.Column('tags', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('published', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('runtime_context', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('processed', sa.Boolean(), nullable=False),
    sa.Column('unique_key', sa.String(length=255), nullable=True),
    sa.Column('started_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.Column('finished_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.Column('project_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('updated_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.ForeignKeyConstraint(['workflow_execution_id'], ['workflow_executions.id'], name=op.f('fk_task_executions_workflow_execution_id_workflow_executions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_executions')),
    sa.UniqueConstraint('workflow_execution_id', 'unique_key', name=op.f('uq_task_executions_workflow_execution_id_unique_key'))
    )
    with op.batch_alter_table('task_executions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_executions_workflow_execution_id_name'), ['workflow_execution_id', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_executions_workflow_execution_id_state'), ['workflow_execution_id', 'state'], unique=False)

    op.create_table('action_executions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('task_execution_id', sa.String(length=36), nullable=True),
    sa.Column('workflow_name', sa.String(length=255), nullable=True),
    sa.Column('workflow_namespace', sa.String(length=255), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_info', sa.Text().with_variant(mysql.LONGTEXT(), 'mariadb').with_variant(mysql.LONGTEXT(), 'mysql'), nullable=True),
    sa.Column('tags', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('is_sync', sa.Boolean(), nullable=False),
    sa.Column('input', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('output', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('runtime_context', mistral.db.types.JsonEncoded(), nullable=True),
    sa.Column('executor_id', sa.String(length=255), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.Column('project_id', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=False),
    sa.Column('updated_at', sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mariadb').with_variant(mysql.DATETIME(fsp=6), 'mysql'), nullable=True),
    sa.ForeignKeyConstraint(['task_execution_id'], ['task_executions.id'], name=op.f('fk_action_executions_task_execution_id_task_executions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_executions'))
    )
    with op.batch_alter_table('action_executions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_executions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_executions_task_execution_id'), ['task_execution_id'], unique=False)



def downgrade():
    # Indexes go with their tables. Dropping them first fails on MySQL/MariaDB,
    # where a foreign key needs an index on its column (error 1553).
    op.drop_table('action_executions')
    op.drop_table('task_executions')
    op.drop_table('workflow_executions')
    op.drop_table('workflow_definitions')
    op.drop_table('workbook_definitions')
    op.drop_table('scheduled_jobs')
    op.drop_table('environments')
    op.drop_table('action_definitions')
