"""afil: AFIL as its profile describes it, and the Circular Economy HUB call as it was

Revision ID: 0015_afil
Revises: 0014_deleted_drafts
Create Date: 2026-12-05 03:00:00.000000

Hand-written. Every existing row is kept.

- ``community_activities``: what a Strategic Community did (kinds from AFIL's account, seed 002).
- ``proposals.value_chain_application_id``: the value-chain application a proposal becomes; and
  a follow-up now rests on the Region's act *or* on that application (``follow_up_has_basis``),
  while only ``endorsed`` itself requires the act (``endorsed_has_act``: its state list shrinks,
  which every existing row satisfies, since a follow-up reached so far came through ``endorse``).
- ``eu_projects`` and their links to communities and value chains.
- ``organisations.public_body``: existing universities and research centres migrate as public,
  as the HUB rule treated them until now (its lead condition checked the kind only); every other
  organisation as not public.
- ``agreements``, ``agreement_parties``, ``agreement_signatures``: the HUB's one multi-party
  agreement, joined by each application; applications already in ``agreement_signed`` keep their
  ``agreement_reference`` in their history (no agreement record is invented for them).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_afil'
down_revision = '0014_deleted_drafts'
branch_labels = None
depends_on = None

OLD_ENDORSED = "state NOT IN ('endorsed', 'follow_up', 'completed') OR length(coalesce(act_reference, '')) > 0"
NEW_ENDORSED = "state NOT IN ('endorsed') OR length(coalesce(act_reference, '')) > 0"
BASIS = ("state NOT IN ('follow_up', 'completed') OR length(coalesce(act_reference, '')) > 0 "
         "OR value_chain_application_id IS NOT NULL")


FK = 'fk_proposals_value_chain_application_id_applications'
UNIQUE = 'uq_proposals_value_chain_application_id'


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _rewrite_sqlite_check(old: str, new: str) -> None:
    """Change a CHECK constraint of ``proposals`` in place (SQLite's documented procedure for
    loosening a constraint, "ALTER TABLE", section 7): rebuilding the table would DROP it, and
    with foreign keys on, that cascades into the append-only ``proposal_history``."""
    conn = op.get_bind()
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'proposals'"
    ).scalar()
    if old not in sql:
        raise RuntimeError('proposals: the CHECK constraint to change was not found')
    version = conn.exec_driver_sql('PRAGMA schema_version').scalar()
    conn.exec_driver_sql('PRAGMA writable_schema = ON')
    conn.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'proposals'",
        (sql.replace(old, new),),
    )
    conn.exec_driver_sql(f'PRAGMA schema_version = {version + 1}')
    conn.exec_driver_sql('PRAGMA writable_schema = OFF')


def _proposals_up() -> None:
    if _sqlite():
        # the column, its foreign key and the new CHECK travel together (no rebuild)
        op.execute(f'ALTER TABLE proposals ADD COLUMN value_chain_application_id INTEGER '
                   f'CONSTRAINT {FK} REFERENCES applications (id) '
                   f'CONSTRAINT ck_proposals_follow_up_has_basis CHECK ({BASIS})')
        _rewrite_sqlite_check(OLD_ENDORSED, NEW_ENDORSED)
    else:
        op.add_column('proposals', sa.Column('value_chain_application_id', sa.Integer(),
                                             nullable=True))
        op.create_foreign_key(op.f(FK), 'proposals', 'applications',
                              ['value_chain_application_id'], ['id'])
        op.drop_constraint(op.f('ck_proposals_endorsed_has_act'), 'proposals', type_='check')
        op.create_check_constraint(op.f('ck_proposals_endorsed_has_act'), 'proposals',
                                   NEW_ENDORSED)
        op.create_check_constraint(op.f('ck_proposals_follow_up_has_basis'), 'proposals', BASIS)
    op.create_index(UNIQUE, 'proposals', ['value_chain_application_id'], unique=True)


def _proposals_down() -> None:
    op.drop_index(UNIQUE, table_name='proposals')
    if _sqlite():
        _rewrite_sqlite_check(NEW_ENDORSED, OLD_ENDORSED)
        op.execute('ALTER TABLE proposals DROP COLUMN value_chain_application_id')
        return
    op.drop_constraint(op.f('ck_proposals_follow_up_has_basis'), 'proposals', type_='check')
    op.drop_constraint(op.f('ck_proposals_endorsed_has_act'), 'proposals', type_='check')
    op.create_check_constraint(op.f('ck_proposals_endorsed_has_act'), 'proposals', OLD_ENDORSED)
    op.drop_constraint(op.f(FK), 'proposals', type_='foreignkey')
    op.drop_column('proposals', 'value_chain_application_id')


def upgrade():
    op.create_table(
        'community_activities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('industrial_visit', 'project_update', 'b2b_matchmaking', "
            "'concept_validation', 'funding_scouting', 'training', 'value_chain_discussion')",
            name=op.f('ck_community_activities_kind_known')),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE',
                                name=op.f('fk_community_activities_community_id_communities')),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], ondelete='SET NULL',
                                name=op.f('fk_community_activities_proposal_id_proposals')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_community_activities_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_community_activities')),
    )
    op.create_index('ix_community_activities_community_held_on', 'community_activities',
                    ['community_id', 'held_on', 'id'], unique=False)
    op.create_index(op.f('ix_community_activities_proposal_id'), 'community_activities',
                    ['proposal_id'], unique=False)

    _proposals_up()

    op.create_table(
        'eu_projects',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('acronym', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('programme', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('afil_role', sa.Text(), nullable=False),
        sa.Column('partners', sa.Integer(), nullable=True),
        sa.Column('policy_instrument', sa.String(length=300), nullable=True),
        sa.Column('policy_call_id', sa.Integer(), nullable=True),
        sa.Column('policy_authority', sa.String(length=300), nullable=True),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.CheckConstraint("kind IN ('project', 'network')", name=op.f('ck_eu_projects_kind_known')),
        sa.CheckConstraint('partners IS NULL OR partners > 0',
                           name=op.f('ck_eu_projects_partners_positive')),
        sa.ForeignKeyConstraint(['policy_call_id'], ['calls.id'],
                                name=op.f('fk_eu_projects_policy_call_id_calls')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_eu_projects')),
        sa.UniqueConstraint('acronym', name=op.f('uq_eu_projects_acronym')),
    )
    op.create_index(op.f('ix_eu_projects_policy_call_id'), 'eu_projects', ['policy_call_id'],
                    unique=False)
    op.create_table(
        'eu_project_communities',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE',
                                name=op.f('fk_eu_project_communities_community_id_communities')),
        sa.ForeignKeyConstraint(['project_id'], ['eu_projects.id'], ondelete='CASCADE',
                                name=op.f('fk_eu_project_communities_project_id_eu_projects')),
        sa.PrimaryKeyConstraint('project_id', 'community_id',
                                name=op.f('pk_eu_project_communities')),
    )
    op.create_table(
        'eu_project_value_chains',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ondelete='CASCADE',
                                name=op.f('fk_eu_project_value_chains_application_id_applications')),
        sa.ForeignKeyConstraint(['project_id'], ['eu_projects.id'], ondelete='CASCADE',
                                name=op.f('fk_eu_project_value_chains_project_id_eu_projects')),
        sa.PrimaryKeyConstraint('project_id', 'application_id',
                                name=op.f('pk_eu_project_value_chains')),
    )

    # server default false: every existing row gets a value, then the public research bodies
    if _sqlite():
        op.execute('ALTER TABLE organisations ADD COLUMN public_body BOOLEAN DEFAULT 0 NOT NULL')
    else:
        op.add_column('organisations', sa.Column('public_body', sa.Boolean(),
                                                 server_default=sa.false(), nullable=False))
    op.execute("UPDATE organisations SET public_body = true "
               "WHERE kind IN ('university', 'research_centre')")

    op.create_table(
        'agreements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=200), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('concluded_on', sa.Date(), nullable=False),
        sa.Column('total_amount', sa.BigInteger(), nullable=False),
        sa.Column('regional_amount', sa.BigInteger(), nullable=True),
        sa.Column('managed_by', sa.String(length=300), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('total_amount > 0', name=op.f('ck_agreements_total_positive')),
        sa.CheckConstraint(
            'regional_amount IS NULL OR (regional_amount >= 0 AND regional_amount <= total_amount)',
            name=op.f('ck_agreements_regional_within_total')),
        sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_agreements_call_id_calls')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_agreements_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
        sa.UniqueConstraint('reference', name=op.f('uq_agreements_reference')),
    )
    op.create_index(op.f('ix_agreements_call_id'), 'agreements', ['call_id'], unique=False)
    op.create_table(
        'agreement_parties',
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], ondelete='CASCADE',
                                name=op.f('fk_agreement_parties_agreement_id_agreements')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE',
                                name=op.f('fk_agreement_parties_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('agreement_id', 'organisation_id',
                                name=op.f('pk_agreement_parties')),
    )
    op.create_table(
        'agreement_signatures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'],
                                name=op.f('fk_agreement_signatures_agreement_id_agreements')),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ondelete='CASCADE',
                                name=op.f('fk_agreement_signatures_application_id_applications')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signatures')),
        sa.UniqueConstraint('application_id',
                            name=op.f('uq_agreement_signatures_application_id')),
    )
    op.create_index(op.f('ix_agreement_signatures_agreement_id'), 'agreement_signatures',
                    ['agreement_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_agreement_signatures_agreement_id'), table_name='agreement_signatures')
    op.drop_table('agreement_signatures')
    op.drop_table('agreement_parties')
    op.drop_index(op.f('ix_agreements_call_id'), table_name='agreements')
    op.drop_table('agreements')
    if _sqlite():
        op.execute('ALTER TABLE organisations DROP COLUMN public_body')
    else:
        op.drop_column('organisations', 'public_body')
    op.drop_table('eu_project_value_chains')
    op.drop_table('eu_project_communities')
    op.drop_index(op.f('ix_eu_projects_policy_call_id'), table_name='eu_projects')
    op.drop_table('eu_projects')
    _proposals_down()
    op.drop_index(op.f('ix_community_activities_proposal_id'), table_name='community_activities')
    op.drop_index('ix_community_activities_community_held_on', table_name='community_activities')
    op.drop_table('community_activities')
