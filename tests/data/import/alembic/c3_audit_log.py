"""audit log

Revision ID: c3
Revises: a1
Create Date: 2026-01-04 10:00:00.000000

"""
from alembic import op

revision = 'c3'
down_revision = 'a1'
branch_labels = ('audit',)
depends_on = None


def upgrade():
    op.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT)")
    op.execute("INSERT INTO audit (id, what) VALUES (1, 'created; by alembic')")


def downgrade():
    op.execute("DROP TABLE audit")
