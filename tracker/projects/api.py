"""The EU projects and networks AFIL takes part in, with the communities and chains they serve."""

from __future__ import annotations

from tracker.api.framework import ID, PAGING, endpoint, paging
from tracker.auth.models import User
from tracker.projects import queries
from tracker.projects.schemas import ProjectOut, ProjectPage


@endpoint(
    "GET", "/projects", summary="List AFIL's EU projects and networks", tag="projects",
    response=ProjectPage, query=PAGING, errors=(400,),
)  # fmt: skip
def list_projects(user: User) -> ProjectPage:
    """Projects first, then networks, each by acronym."""
    page = paging()
    rows, total = queries.list_projects(page)
    return ProjectPage.of([ProjectOut.model_validate(p) for p in rows], page, total)


@endpoint(
    "GET", f"/projects/<{ID}:project_id>", summary="An EU project", tag="projects",
    response=ProjectOut, errors=(404,),
)  # fmt: skip
def get_project(user: User, project_id: int) -> ProjectOut:
    return ProjectOut.model_validate(queries.get_project(project_id))
