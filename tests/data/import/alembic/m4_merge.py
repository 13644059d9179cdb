"""merge accounts and audit

Revision ID: m4
Revises: b2, c3
Create Date: 2026-01-05 10:00:00.000000

"""
revision = 'm4'
down_revision = ('b2', 'c3')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
