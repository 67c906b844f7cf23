"""Moderation and follow-up: tags, responses, the audit log, published reports; pre-moderation
per plan; comments keep their stakeholder group, a meeting attribution and a hide reason.

Revision ID: 20261122_0003
Revises: 20261122_0002
Create Date: 2026-11-22 08:30:20.200100

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261122_0003'
down_revision = '20261122_0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_tags_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('plan_id', 'name', name=op.f('uq_tags_plan_id_name'))
    )
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tags_plan_id'), ['plan_id'], unique=False)

    op.create_table('published_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_published_reports_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['plan_versions.id'], name=op.f('fk_published_reports_version_id_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_reports')),
    sa.UniqueConstraint('version_id', name=op.f('uq_published_reports_version_id'))
    )
    op.create_table('comment_tags',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_comment_tags_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_comment_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'tag_id', name=op.f('pk_comment_tags'))
    )
    with op.batch_alter_table('comment_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('moderation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("action IN ('approve', 'hide', 'restore', 'dismiss_reports', 'tag', 'untag', 'respond', 'edit_response', 'record_meeting_feedback', 'delete_response', 'publish_report', 'withdraw_report')", name=op.f('ck_moderation_events_action_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_moderation_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_moderation_events_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_moderation_events_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_events'))
    )
    with op.batch_alter_table('moderation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_events_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index('ix_moderation_events_plan_created', ['plan_id', 'created_at'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('responder_id', sa.Integer(), nullable=True),
    sa.Column('disposition', sa.String(length=20), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('addressed_in_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("disposition IN ('accepted', 'partly_accepted', 'not_accepted', 'noted')", name=op.f('ck_responses_disposition_known')),
    sa.ForeignKeyConstraint(['addressed_in_id'], ['plan_versions.id'], name=op.f('fk_responses_addressed_in_id_plan_versions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_responses_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_responses_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responder_id'], ['users.id'], name=op.f('fk_responses_responder_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('comment_id', name=op.f('uq_responses_comment_id'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_addressed_in_id'), ['addressed_in_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attribution', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_comments_group_id'), ['group_id'], unique=False)
        batch_op.create_index('ix_comments_tally', ["version_id", "status", "action_id", "stance", "group_id", "parent_id", "author_id", "attribution"], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_group_id_stakeholder_groups'), 'stakeholder_groups', ['group_id'], ['id'], ondelete='SET NULL')

    # Comments written so far speak for their author's group in that plan.
    op.execute(
        "UPDATE comments SET group_id = (SELECT memberships.group_id FROM memberships "
        "WHERE memberships.plan_id = comments.plan_id AND memberships.user_id = comments.author_id)"
    )

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderation', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('premoderation')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_group_id_stakeholder_groups'), type_='foreignkey')
        batch_op.drop_index('ix_comments_tally')
        batch_op.drop_index(batch_op.f('ix_comments_group_id'))
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('attribution')
        batch_op.drop_column('group_id')

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_plan_id'))
        batch_op.drop_index(batch_op.f('ix_responses_addressed_in_id'))

    op.drop_table('responses')
    with op.batch_alter_table('moderation_events', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_events_plan_created')
        batch_op.drop_index(batch_op.f('ix_moderation_events_comment_id'))

    op.drop_table('moderation_events')
    with op.batch_alter_table('comment_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_tags_tag_id'))

    op.drop_table('comment_tags')
    op.drop_table('published_reports')
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tags_plan_id'))

    op.drop_table('tags')
