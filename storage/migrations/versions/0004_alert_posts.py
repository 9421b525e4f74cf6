"""Alerts are posts: one outbox row per channel names the followers it mentions, and a sent
row keeps the platform's message id so later news can edit or answer that post, and each
row counts its claims: a row claimed again may already have been posted (Slack looks).
An edit of a post (another source reported the story) is an outbox row too: one per
story, destination, revision and number of sources.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 10:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mentions', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('message_ref', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('claims', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('action', sa.String(length=10), nullable=False,
                                      server_default='post'))
        batch_op.add_column(sa.Column('sources', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.drop_constraint('uq_outbox_story_id_destination_id_revision', type_='unique')
        batch_op.create_unique_constraint(
            'uq_outbox_story_id_destination_id_revision_action_sources',
            ['story_id', 'destination_id', 'revision', 'action', 'sources'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outbox_story_id_destination_id_revision_action_sources',
                                 type_='unique')
        batch_op.create_unique_constraint('uq_outbox_story_id_destination_id_revision',
                                          ['story_id', 'destination_id', 'revision'])
        batch_op.drop_column('sources')
        batch_op.drop_column('action')
        batch_op.drop_column('claims')
        batch_op.drop_column('message_ref')
        batch_op.drop_column('mentions')
