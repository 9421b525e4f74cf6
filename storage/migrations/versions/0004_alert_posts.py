"""Alerts are posts: one outbox row per channel names the followers it mentions, and a sent
row keeps the platform's message id so later news can edit or answer that post, and each
row counts its claims: a row claimed again may already have been posted (Slack looks).

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


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claims')
        batch_op.drop_column('message_ref')
        batch_op.drop_column('mentions')
