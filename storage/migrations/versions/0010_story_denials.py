"""A story a later article denies keeps that denial (when, and which article), so its
posted alerts can be edited to say so.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 15:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('denied_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('denied_title', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('denied_url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('denied_name', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('denied_published', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_column('denied_published')
        batch_op.drop_column('denied_name')
        batch_op.drop_column('denied_url')
        batch_op.drop_column('denied_title')
        batch_op.drop_column('denied_at')
