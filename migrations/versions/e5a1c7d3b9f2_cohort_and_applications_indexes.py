"""indexes of the cohort follow-up and of the staff's list of applications

The follow-up joins every BUT3 student to their internship of the year: the index on
``internships.student_id`` alone made the database read each of the student's internships of
ten years to find that one; ``(student_id, academic_year_id)`` goes straight to it and still
serves every lookup by student. The cohort index now holds the names in the lists' order,
so a page of the whole promotion is read from it and stops after fifty students instead of
sorting the cohort.

The staff's list of applications, newest first, whole or of one status, is read from
``(created_at, id)`` and ``(status, created_at, id)``: its first page no longer sorts the
300,000 applications of ten years. The status index stays: it alone is small enough to
count the applications of each status from the index. A student's applications are found by
``(student_id, offer_id, created_at)``, which also holds what the statistics read of them.

Revision ID: e5a1c7d3b9f2
Revises: c1d8e2f4a9b7
Create Date: 2026-11-25 14:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a1c7d3b9f2'
down_revision = 'c1d8e2f4a9b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_internships_student_year", "internships",
                    ["student_id", "academic_year_id"])
    op.drop_index("ix_internships_student_id", table_name="internships")
    op.create_index("ix_users_cohort_name", "users", ["cohort", "last_name", "first_name", "id"])
    op.drop_index("ix_users_cohort", table_name="users")
    op.create_index("ix_applications_created_at", "applications", ["created_at", "id"])
    op.create_index("ix_applications_status_created_at", "applications",
                    ["status", "created_at", "id"])
    op.create_index("ix_applications_student_offer_created", "applications",
                    ["student_id", "offer_id", "created_at"])
    op.drop_index("ix_applications_student_id", table_name="applications")


def downgrade():
    op.create_index("ix_applications_student_id", "applications", ["student_id"])
    op.drop_index("ix_applications_student_offer_created", table_name="applications")
    op.drop_index("ix_applications_status_created_at", table_name="applications")
    op.drop_index("ix_applications_created_at", table_name="applications")
    op.create_index("ix_users_cohort", "users", ["cohort"])
    op.drop_index("ix_users_cohort_name", table_name="users")
    op.create_index("ix_internships_student_id", "internships", ["student_id"])
    op.drop_index("ix_internships_student_year", table_name="internships")
