"""Reading integration requests and concept-note versions, and what changed between two rounds."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.models import Application
from tracker.extensions import db
from tracker.integrations.models import ConceptNoteVersion, IntegrationRequest
from tracker.reference import THEMATIC_AREAS
from workflows.i18n import N_


def requests_of(app: Application) -> list[IntegrationRequest]:
    """Every integration request of ``app``, oldest first, with its documents and who asked."""
    return list(
        db.session.scalars(
            select(IntegrationRequest)
            .where(IntegrationRequest.application_id == app.id)
            .options(
                selectinload(IntegrationRequest.documents),
                joinedload(IntegrationRequest.requested_by),
            )
            .order_by(IntegrationRequest.number)
        )
    )


def versions_of(app: Application) -> list[ConceptNoteVersion]:
    """The concept note at each submission, the first round first."""
    return list(
        db.session.scalars(
            select(ConceptNoteVersion)
            .where(ConceptNoteVersion.application_id == app.id)
            .order_by(ConceptNoteVersion.round)
        )
    )


# --- what changed --------------------------------------------------------------------------------

#: each word with the spaces after it (and any leading spaces): a difference is read word by
#: word, and the spaces between two changed words never split their change in two
_TOKENS = re.compile(r"^\s+|\S+\s*")


@dataclass(frozen=True)
class Segment:
    """A run of text: kept (``equal``), taken out (``delete``) or added (``insert``)."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str  # a marked message, translated where shown
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return any(s.op != "equal" for s in self.segments)


def difference(before: str, after: str) -> tuple[Segment, ...]:
    """``before`` turned into ``after``, word by word (difflib), as segments to show inline."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    out: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            out.append(Segment("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Segment("insert", "".join(new[j1:j2])))
        if op == "equal":
            out.append(Segment("equal", "".join(old[i1:i2])))
    return tuple(out)


def _fields(app: Application, version: ConceptNoteVersion) -> dict[str, tuple[str, str]]:
    """key -> (label, text) of what a version records, in the order the page shows them."""
    area = version.thematic_area
    out = {
        "title": (N_("Title"), version.title),
        "thematic_area": (N_("Thematic area"), str(THEMATIC_AREAS.get(area, area or ""))),
    }
    for section in app.definition.content:
        out[section.key] = (section.label, (version.content or {}).get(section.key, ""))
    return out


def changes_between(
    app: Application, before: ConceptNoteVersion, after: ConceptNoteVersion
) -> list[FieldChange]:
    """Every field of the concept note from ``before`` to ``after``, changed or not."""
    old, new = _fields(app, before), _fields(app, after)
    return [
        FieldChange(key, label, difference(old[key][1], text)) for key, (label, text) in new.items()
    ]


def changed_fields(app: Application, before, after: ConceptNoteVersion) -> list[str]:
    """The keys of the fields that differ from the previous round (all, for the first)."""
    if before is None:
        return []
    old, new = _fields(app, before), _fields(app, after)
    return [key for key in new if old[key][1] != new[key][1]]


@dataclass(frozen=True)
class Round:
    """A version with what changed since the round before it (None for the first kept)."""

    version: ConceptNoteVersion
    previous: ConceptNoteVersion | None
    changes: list[FieldChange] | None


def rounds_of(app: Application) -> list[Round]:
    """Every version with its changes since the previous one, newest first."""
    versions = versions_of(app)
    rounds = []
    for i, version in enumerate(versions):
        previous = versions[i - 1] if i else None
        # a round missing between them (kept before versions were) is not compared across
        comparable = previous is not None and previous.round == version.round - 1
        changes = changes_between(app, previous, version) if comparable else None
        rounds.append(Round(version, previous if comparable else None, changes))
    return rounds[::-1]
