"""The weekly digest goes through the outbox: a digest row has no story, names its week
(one per destination and week, however many workers queue it) and carries its lines.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 12:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('story_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('digest_week', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
        batch_op.create_unique_constraint('uq_outbox_destination_id_digest_week',
                                          ['destination_id', 'digest_week'])


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM outbox WHERE story_id IS NULL")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outbox_destination_id_digest_week', type_='unique')
        batch_op.drop_column('body')
        batch_op.drop_column('digest_week')
        batch_op.alter_column('story_id', existing_type=sa.Integer(), nullable=False)
