"""user names

Revision ID: b2
Revises: a1
Create Date: 2026-01-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision: str = 'b2'
down_revision = 'a1'
branch_labels = ('accounts',)
depends_on = None


def upgrade():
    op.add_column('users', sa.Column('name', sa.String(50)))


def downgrade():
    op.drop_column('users', 'name')
