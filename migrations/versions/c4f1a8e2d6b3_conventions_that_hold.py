"""conventions that hold: frozen terms, numbered avenants, early end, internship history

- ``conventions.terms``: the terms as validated (JSON), ``document_id``: the PDF as signed,
  ``ended_on``/``end_reason``: the early end (rupture);
- ``convention_amendments.number``: 1, 2, … per convention (unique), filled in creation order;
- ``internship_events``: who changed an internship's status, when, why;
- ``academic_years.programme_hours``: the programme's yearly hours (D124-4);
- one active internship per student and year, a partial unique index on both databases.
  Duplicates made before it (a double submit) are cancelled first: the one with a convention,
  else the latest, is kept, and the others get a history line saying why.

Revision ID: c4f1a8e2d6b3
Revises: bab4b669387c
Create Date: 2026-11-29 14:20:00

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4f1a8e2d6b3'
down_revision = 'bab4b669387c'
branch_labels = None
depends_on = None

ACTIVE = "status NOT IN ('cancelled', 'ended_early')"


def _cancel_duplicates(conn):
    rows = conn.execute(sa.text(
        "SELECT i.id, i.student_id, i.academic_year_id, "
        "(SELECT COUNT(*) FROM conventions c WHERE c.internship_id = i.id "
        " AND c.status != 'cancelled') AS has_convention "
        f"FROM internships i WHERE i.{ACTIVE} "
        "ORDER BY i.student_id, i.academic_year_id")).all()
    groups = {}
    for row in rows:
        groups.setdefault((row.student_id, row.academic_year_id), []).append(row)
    now = datetime.now(timezone.utc)
    for group in groups.values():
        if len(group) < 2:
            continue
        keep = max(group, key=lambda r: (r.has_convention > 0, r.id))
        for row in group:
            if row.id == keep.id:
                continue
            conn.execute(sa.text("UPDATE internships SET status = 'cancelled' WHERE id = :id"),
                         {"id": row.id})
            conn.execute(sa.text(
                "INSERT INTO internship_events (internship_id, from_status, to_status, comment, "
                "created_at) VALUES (:id, 'planned', 'cancelled', :comment, :now)"),
                {"id": row.id, "now": now,
                 "comment": f"Doublon du stage n° {keep.id} (même étudiant·e, même année)."})


def upgrade():
    op.create_table(
        'internship_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('internship_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('from_status', sa.String(length=30), nullable=True),
        sa.Column('to_status', sa.String(length=30), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['internship_id'], ['internships.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_internship_events_internship_id', 'internship_events',
                    ['internship_id'])
    with op.batch_alter_table('academic_years') as batch:
        batch.add_column(sa.Column('programme_hours', sa.Integer(), nullable=True))
    with op.batch_alter_table('conventions') as batch:
        batch.add_column(sa.Column('terms', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('end_reason', sa.Text(), nullable=True))
        batch.create_foreign_key('fk_conventions_document_id', 'stored_files',
                                 ['document_id'], ['id'])
    with op.batch_alter_table('convention_amendments') as batch:
        batch.add_column(sa.Column('number', sa.Integer(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, convention_id FROM convention_amendments ORDER BY convention_id, id")).all()
    counters = {}
    for row in rows:
        counters[row.convention_id] = counters.get(row.convention_id, 0) + 1
        conn.execute(sa.text("UPDATE convention_amendments SET number = :n WHERE id = :id"),
                     {"n": counters[row.convention_id], "id": row.id})
    with op.batch_alter_table('convention_amendments') as batch:
        batch.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint('uq_convention_amendments_number',
                                       ['convention_id', 'number'])
    _cancel_duplicates(conn)
    op.create_index('uq_internships_active_student_year', 'internships',
                    ['student_id', 'academic_year_id'], unique=True,
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))


def downgrade():
    op.drop_index('uq_internships_active_student_year', table_name='internships')
    with op.batch_alter_table('convention_amendments') as batch:
        batch.drop_constraint('uq_convention_amendments_number', type_='unique')
        batch.drop_column('number')
    with op.batch_alter_table('conventions') as batch:
        batch.drop_constraint('fk_conventions_document_id', type_='foreignkey')
        batch.drop_column('end_reason')
        batch.drop_column('ended_on')
        batch.drop_column('document_id')
        batch.drop_column('terms')
    with op.batch_alter_table('academic_years') as batch:
        batch.drop_column('programme_hours')
    op.drop_index('ix_internship_events_internship_id', table_name='internship_events')
    op.drop_table('internship_events')
