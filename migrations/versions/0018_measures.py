"""measures: a measure's spend range, aid intensities, state-aid regime, one project per firm and
label rule; each partner's eligible spend; a project's CUP code

Revision ID: 0018_measures
Revises: 0017_integration
Create Date: 2026-12-05 03:00:00.000000

Hand-written, like 0010: every column is added with ALTER TABLE ... ADD COLUMN, a CHECK travelling
with the last column it names on SQLite. Every row is kept:

- the support measures already there stay ranked calls (workflow ``support_application``) with
  their figures; their label rule becomes ``valid_at_closing``, the rule the tracker applied
  until now; they state no spend range, no intensities and no regime, so their applications'
  ``requested_amount`` stays the amount entered (``tracker.measures.grant`` computes it only
  under measures stating intensities);
- existing partners' eligible spend stays NULL ("not stated"), which every constraint allows;
- no project has a CUP code yet.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_measures'
down_revision = '0017_integration'
branch_labels = None
depends_on = None

CALL_CHECKS = {
    "max_spend": (
        "ck_calls_spend_range_sane",
        "(min_spend IS NULL OR min_spend >= 0) AND (max_spend IS NULL OR max_spend > 0) "
        "AND (min_spend IS NULL OR max_spend IS NULL OR min_spend <= max_spend)",
    ),
    "large_intensity": (
        "ck_calls_intensities_sane",
        "(sme_intensity IS NULL) = (large_intensity IS NULL) AND (sme_intensity "
        "IS NULL OR (sme_intensity >= 0 AND sme_intensity <= 10000 AND "
        "large_intensity >= 0 AND large_intensity <= 10000))",
    ),
    "label_recognised_by": (
        "ck_calls_label_rule_dated",
        "label_rule IS NULL OR label_rule = 'valid_at_closing' OR (label_rule "
        "= 'recognised_by_dates' AND label_applied_by IS NOT NULL AND "
        "label_recognised_by IS NOT NULL)",
    ),
}
#: (column, SQLite type, SQLAlchemy type, server default)
CALL_COLUMNS = [
    ("min_spend", "BIGINT", sa.BigInteger(), None),
    ("max_spend", "BIGINT", sa.BigInteger(), None),
    ("sme_intensity", "BIGINT", sa.BigInteger(), None),
    ("large_intensity", "BIGINT", sa.BigInteger(), None),
    ("state_aid_regime", "VARCHAR(20)", sa.String(length=20), None),
    ("one_project_per_firm", "BOOLEAN", sa.Boolean(), sa.false()),
    ("label_rule", "VARCHAR(30)", sa.String(length=30), None),
    ("label_applied_by", "DATE", sa.Date(), None),
    ("label_recognised_by", "DATE", sa.Date(), None),
]
SPEND_CHECK = ("ck_partners_spend_not_negative", "eligible_spend IS NULL OR eligible_spend >= 0")
CUP_CHECK = ("ck_applications_cup_length", "cup IS NULL OR length(cup) = 15")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    if _sqlite():
        for column, type_, _sa, default in CALL_COLUMNS:
            ddl = f"ALTER TABLE calls ADD COLUMN {column} {type_}"
            if default is not None:
                ddl += " DEFAULT 0 NOT NULL"
            if column in CALL_CHECKS:
                name, check = CALL_CHECKS[column]
                ddl += f" CONSTRAINT {name} CHECK ({check})"
            op.execute(ddl)
        op.execute(
            "ALTER TABLE partners ADD COLUMN eligible_spend BIGINT "
            f"CONSTRAINT {SPEND_CHECK[0]} CHECK ({SPEND_CHECK[1]})"
        )
        op.execute(
            "ALTER TABLE applications ADD COLUMN cup VARCHAR(15) "
            f"CONSTRAINT {CUP_CHECK[0]} CHECK ({CUP_CHECK[1]})"
        )
    else:
        for column, _type, sa_type, default in CALL_COLUMNS:
            op.add_column(
                "calls",
                sa.Column(column, sa_type, nullable=default is None, server_default=default),
            )
        for name, check in CALL_CHECKS.values():
            op.create_check_constraint(op.f(name), "calls", check)
        op.add_column("partners", sa.Column("eligible_spend", sa.BigInteger(), nullable=True))
        op.create_check_constraint(op.f(SPEND_CHECK[0]), "partners", SPEND_CHECK[1])
        op.add_column("applications", sa.Column("cup", sa.String(length=15), nullable=True))
        op.create_check_constraint(op.f(CUP_CHECK[0]), "applications", CUP_CHECK[1])
    # the measures already there keep the bonus rule the tracker applied to them
    op.execute(
        "UPDATE calls SET label_rule = 'valid_at_closing' WHERE workflow = 'support_application'"
    )


def downgrade():
    if _sqlite():
        # native DROP COLUMN (SQLite >= 3.35); a column named by a CHECK goes with the CHECK's
        # own column first: drop in reverse order of addition
        op.execute("ALTER TABLE applications DROP COLUMN cup")
        op.execute("ALTER TABLE partners DROP COLUMN eligible_spend")
        for column, *_ in reversed(CALL_COLUMNS):
            op.execute(f"ALTER TABLE calls DROP COLUMN {column}")
        return
    op.drop_constraint(op.f(CUP_CHECK[0]), "applications", type_="check")
    op.drop_column("applications", "cup")
    op.drop_constraint(op.f(SPEND_CHECK[0]), "partners", type_="check")
    op.drop_column("partners", "eligible_spend")
    for name, _check in CALL_CHECKS.values():
        op.drop_constraint(op.f(name), "calls", type_="check")
    for column, *_ in reversed(CALL_COLUMNS):
        op.drop_column("calls", column)
