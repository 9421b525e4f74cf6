"""Lineup changes carry the date of the news that made them: /changes filters and orders
by it (2023 news recorded today is 2023 news), with its indexes on it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 15:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_KEYS = ('series_key', 'team_key', 'driver_key')  # a car's history keeps (car_key, at)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('seat_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_published', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('news_at', sa.DateTime(timezone=True), nullable=True))
    # Until now the news date was read from the change's story (its latest source).
    op.execute("UPDATE seat_events SET source_published = (SELECT stories.source_published "
               "FROM stories WHERE stories.id = seat_events.story_id) "
               "WHERE story_id IS NOT NULL")
    op.execute("UPDATE seat_events SET news_at = COALESCE(source_published, at)")
    with op.batch_alter_table('seat_events', schema=None) as batch_op:
        batch_op.alter_column('news_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.drop_index('ix_seat_events_at')
        for key in _KEYS:
            batch_op.drop_index(f'ix_seat_events_{key.removesuffix("_key")}')
            batch_op.create_index(f'ix_seat_events_{key.removesuffix("_key")}_news',
                                  [key, 'news_at'], unique=False)
        batch_op.create_index('ix_seat_events_news', ['news_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('seat_events', schema=None) as batch_op:
        batch_op.drop_index('ix_seat_events_news')
        for key in _KEYS:
            batch_op.drop_index(f'ix_seat_events_{key.removesuffix("_key")}_news')
            batch_op.create_index(f'ix_seat_events_{key.removesuffix("_key")}',
                                  [key, 'at'], unique=False)
        batch_op.create_index('ix_seat_events_at', ['at'], unique=False)
        batch_op.drop_column('news_at')
        batch_op.drop_column('source_published')
