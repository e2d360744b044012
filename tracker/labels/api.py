"""The public registry of recognised value chains."""

from __future__ import annotations

from tracker.api.framework import PAGING, endpoint, paging
from tracker.dashboards.counts import label_counts
from tracker.labels.operations import registry_page
from tracker.labels.queries import registry_chain
from tracker.labels.schemas import RegistryChainOut, RegistryPage


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


@endpoint(
    "GET", "/registry/<string(maxlength=30):label_code>", summary="A recognised value chain",
    tag="registry", response=RegistryChainOut, errors=(404,), public=True,
)  # fmt: skip
def registry_entry(label_code: str) -> RegistryChainOut:
    """Public, no token: the value chain holding the label ``label_code`` (as listed in
    ``/registry``, revoked labels included), with its partners as they stand (lead first), the
    support measures' grants to it and the partnership changes in force, latest first. 404 for
    a code not in the registry."""
    return RegistryChainOut.of(registry_chain(label_code))
