"""name index

Revision ID: d5
Revises: m4
Create Date: 2026-01-06 10:00:00.000000

"""
from alembic import op

revision = 'd5'
down_revision = 'm4'
branch_labels = None
depends_on = ('c3',)


def upgrade():
    op.create_index('users_name', 'users', ['name'])


def downgrade():
    op.drop_index('users_name', table_name='users')
