"""The public registry of recognised value chains."""

from __future__ import annotations

from tracker.api.framework import PAGING, endpoint, paging
from tracker.dashboards.counts import label_counts
from tracker.labels.operations import registry_page
from tracker.labels.schemas import RegistryPage


@endpoint(
    "GET", "/registry", summary="Recognised value chains", tag="registry",
    response=RegistryPage, query=PAGING, errors=(400,), public=True,
)  # fmt: skip
def registry() -> RegistryPage:
    """Public, no token: the value chains recognised with a quality label, latest decree first,
    with the support measures granted them (``support_granted``); revoked labels follow,
    marked ``revoked`` with their ``revocation_reason``."""
    page = paging()
    rows, total = registry_page(
        page.page, page.per_page, include_revoked=True, counts=label_counts()
    )
    return RegistryPage.of(rows, page, total)
