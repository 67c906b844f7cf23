"""Comments on a passage: the field, the quote and its surroundings.

Revision ID: 20261122_0005
Revises: 20261122_0004
Create Date: 2026-11-22 08:53:16.779039

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261122_0005'
down_revision = '20261122_0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anchor_field', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('anchor_quote', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('anchor_prefix', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('anchor_suffix', sa.String(length=80), nullable=True))



def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('anchor_suffix')
        batch_op.drop_column('anchor_prefix')
        batch_op.drop_column('anchor_quote')
        batch_op.drop_column('anchor_field')

