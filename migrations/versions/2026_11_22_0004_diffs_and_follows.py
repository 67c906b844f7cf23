"""Stored diffs of published versions (keyed by text hashes and algorithm version); plan followers.

Revision ID: 20261122_0004
Revises: 20261122_0003
Create Date: 2026-11-22 08:44:12.794892

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261122_0004'
down_revision = '20261122_0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_diffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('algorithm', sa.Integer(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_diffs')),
    sa.UniqueConstraint('key', name=op.f('uq_stored_diffs_key'))
    )
    op.create_table('plan_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_follows_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_follows')),
    sa.UniqueConstraint('plan_id', 'user_id', name=op.f('uq_plan_follows_plan_id_user_id'))
    )
    with op.batch_alter_table('plan_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_follows_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_follows_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_plan_follows_plan_id'))

    op.drop_table('plan_follows')
    op.drop_table('stored_diffs')
