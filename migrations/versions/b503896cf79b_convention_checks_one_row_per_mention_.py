"""convention checks: one row per mention ticked, apart from the convention

Ticking a mention used to rewrite a JSON column of the convention, which changed its version:
two mentions ticked in quick succession made each other stale. Each tick is now its own row
(who, when), and the ticks already recorded are carried over.

Revision ID: b503896cf79b
Revises: 613055b89dfa
Create Date: 2026-11-24 10:43:07.877809

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b503896cf79b'
down_revision = '613055b89dfa'
branch_labels = None
depends_on = None

conventions = sa.table(
    "conventions", sa.column("id", sa.Integer), sa.column("manual_checks", sa.JSON),
    sa.column("updated_at", sa.DateTime(timezone=True)))
checks = sa.table(
    "convention_checks", sa.column("convention_id", sa.Integer), sa.column("item", sa.String),
    sa.column("checked_by_id", sa.Integer), sa.column("checked_at", sa.DateTime(timezone=True)))


def upgrade():
    op.create_table('convention_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_convention_checks_checked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['convention_id'], ['conventions.id'], name=op.f('fk_convention_checks_convention_id_conventions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_checks')),
    sa.UniqueConstraint('convention_id', 'item', name='uq_convention_checks_item')
    )
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    rows = []
    for convention_id, ticked, updated_at in bind.execute(
            sa.select(conventions.c.id, conventions.c.manual_checks,
                      conventions.c.updated_at)):
        for item, ok in (ticked or {}).items():
            if ok:
                rows.append({"convention_id": convention_id, "item": item[:40],
                             "checked_by_id": None, "checked_at": updated_at or now})
            if len(rows) >= 5000:
                op.bulk_insert(checks, rows)
                rows = []
    if rows:
        op.bulk_insert(checks, rows)
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.drop_column('manual_checks')


def downgrade():
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manual_checks', sa.JSON(), nullable=True))
    bind = op.get_bind()
    ticked: dict[int, dict[str, bool]] = {}
    for convention_id, item in bind.execute(sa.select(checks.c.convention_id, checks.c.item)):
        ticked.setdefault(convention_id, {})[item] = True
    for convention_id, items in ticked.items():
        bind.execute(conventions.update().where(conventions.c.id == convention_id)
                     .values(manual_checks=items))
    bind.execute(conventions.update().where(conventions.c.manual_checks.is_(None))
                 .values(manual_checks={}))
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.alter_column('manual_checks', existing_type=sa.JSON(), nullable=False)
    op.drop_table('convention_checks')
