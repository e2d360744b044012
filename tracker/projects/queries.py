"""Reading the EU projects: the list, one project, and those serving a community or a chain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.database import count_rows
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.pagination import PageRequest
from tracker.projects.models import (
    EUProject,
    project_communities,
    project_value_chains,
)
from workflows.i18n import N_


def _loaded(query):
    return query.options(
        selectinload(EUProject.communities),
        selectinload(EUProject.value_chains),
        joinedload(EUProject.policy_call),
    )


def list_projects(paging: PageRequest) -> tuple[list[EUProject], int]:
    """Projects before networks, each by acronym, with what they serve."""
    query = select(EUProject)
    rows = db.session.scalars(
        _loaded(query)
        .order_by(EUProject.kind.desc(), EUProject.acronym, EUProject.id)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)


def get_project(project_id: int) -> EUProject:
    project = db.session.scalar(_loaded(select(EUProject).where(EUProject.id == project_id)))
    if project is None:
        raise NotFound(N_("No EU project %(id)s.", id=project_id))
    return project


def projects_serving(*, community: int | None = None, application: int | None = None):
    """The projects linked to one community or one value-chain application, by acronym."""
    query = select(EUProject).order_by(EUProject.acronym)
    if community is not None:
        query = query.join(project_communities).where(
            project_communities.c.community_id == community
        )
    if application is not None:
        query = query.join(project_value_chains).where(
            project_value_chains.c.application_id == application
        )
    return list(db.session.scalars(query).all())
