"""Reply counts leave out replies waiting for pre-moderation (data only, no schema change).

A thread root's reply_count used to count every reply when it was posted, a held one too;
it now counts a held reply only once it leaves the queue (approved, hidden or deleted). A
reply held when this runs would otherwise be counted twice, so every root's count is
recomputed from its replies that are not pending, in one statement.

Revision ID: 20261201_0006
Revises: 20261122_0005
Create Date: 2026-12-01 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261201_0006'
down_revision = '20261122_0005'
branch_labels = None
depends_on = None


RECOUNT = """
UPDATE comments SET reply_count = (
    SELECT count(*) FROM comments AS replies
    WHERE replies.root_id = comments.id {condition}
)
WHERE parent_id IS NULL
"""


def upgrade():
    op.execute(sa.text(RECOUNT.format(condition="AND replies.status != 'pending'")))


def downgrade():
    # The former meaning: every reply, held ones included.
    op.execute(sa.text(RECOUNT.format(condition="")))
