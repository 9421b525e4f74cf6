"""Edits are outbox rows too: another source reporting a posted story queues an edit of
the post. A row says which it is (`action`), and an edit counts the sources it shows, so
there is one post per story, destination and revision, and one edit per number of sources.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 11:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
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
