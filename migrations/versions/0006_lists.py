"""lists: indexes for filtered, sorted, paginated lists and exports

Revision ID: 0006_lists
Revises: 0005_dashboards
Create Date: 2026-11-22 03:00:00.000000

Indexes only (no table is rebuilt): each list's filters and orders read an index instead of
scanning the applications, and the registry reads its labels in order.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_lists"
down_revision = "0005_dashboards"
branch_labels = None
depends_on = None


INDEXES = (
    (
        "ix_applications_state_updated",
        "applications",
        ["state", "updated_at", "id", "submitted_at"],
    ),
    (
        "ix_applications_call_updated",
        "applications",
        ["call_id", "updated_at", "id", "submitted_at"],
    ),
    ("ix_applications_updated", "applications", ["updated_at", "id", "submitted_at"]),
    ("ix_applications_created", "applications", ["created_at"]),
    ("ix_applications_title", "applications", ["title"]),
    ("ix_applications_score", "applications", ["score"]),
    ("ix_quality_labels_registry", "quality_labels", ["revoked_at", "decree_date", "code"]),
    ("ix_organisations_name", "organisations", ["name"]),
    ("ix_organisations_province", "organisations", ["province"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
