"""The dashboards listen: each creation, state change or edit moves its tallies in the same
transaction, so a figure is never out of step with what it counts.

Applications and proposals are created and moved only through their operations, which send
``subject_created`` and (through ``tracker.firing.fire_transition``) ``state_changed``. Edits of what an
application is counted under (thematic area, S3 ecosystem) are seen at flush time.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from tracker.applications.models import Application
from tracker.communities.models import Proposal
from tracker.dashboards import tallies
from tracker.signals import partnership_changed, state_changed, subject_created, subject_deleted

#: the columns of an application that are tally dimensions and may be edited
EDITABLE_DIMENSIONS = ("thematic_area", "s3_ecosystem")


@subject_created.connect_via(Application)
def _application_created(sender, subject: Application, **kwargs) -> None:
    tallies.count_application(subject)


@subject_deleted.connect_via(Application)
def _application_deleted(sender, subject: Application, **kwargs) -> None:
    tallies.uncount_application(subject)


@subject_created.connect_via(Proposal)
def _proposal_created(sender, subject: Proposal, **kwargs) -> None:
    tallies.count_proposal(subject)


@state_changed.connect_via(Application)
def _application_moved(
    sender, subject: Application, entry, first_submission: bool, **kwargs
) -> None:
    was_submitted = subject.submitted_at is not None and not first_submission
    tallies.move_application(subject, entry.from_state, was_submitted, entry.seconds_in_from_state)


@state_changed.connect_via(Proposal)
def _proposal_moved(sender, subject: Proposal, entry, **kwargs) -> None:
    tallies.move_proposal(subject, entry.from_state, entry.seconds_in_from_state)


@partnership_changed.connect_via(Application)
def _partnership_changed(
    sender, application: Application, joined=None, left=None, old_lead_province=None,
    new_lead_province=None, **kwargs,
) -> None:  # fmt: skip
    """A change in force: a recognised chain's partners count in the public statistics, and a
    new lead moves the application in the breakdown by the lead's province."""
    if joined is not None:
        tallies.partner_moved(application, joined, +1)
    if left is not None:
        tallies.partner_moved(application, left, -1)
    if old_lead_province != new_lead_province:
        tallies.change_application_dimensions(
            application, {"province": old_lead_province}, {"province": new_lead_province}
        )


@event.listens_for(Session, "before_flush")
def _dimensions_edited(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty):
        if not isinstance(obj, Application) or obj.id is None:
            continue
        state = inspect(obj)
        changed = [n for n in EDITABLE_DIMENSIONS if state.attrs[n].history.has_changes()]
        rows = state.attrs.area_rows.history
        if not changed and not rows.has_changes():
            continue
        # the areas named before and after the edit (each counts in the breakdown by area)
        old_areas = sorted({r.area for r in (*rows.unchanged, *rows.deleted)})
        new_areas = sorted({r.area for r in (*rows.unchanged, *rows.added)})
        if not changed:
            if old_areas != new_areas:
                tallies.change_application_dimensions(obj, {}, {}, old_areas, new_areas)
            continue
        # an attribute set while expired has no old value in memory: the row still holds it
        stored = (
            session.connection()
            .execute(
                select(*(Application.__table__.c[n] for n in changed)).where(
                    Application.__table__.c.id == obj.id
                )
            )
            .one()
        )
        old = dict(zip(changed, stored, strict=True))
        new = {n: getattr(obj, n) for n in changed}
        if old != new or old_areas != new_areas:
            tallies.change_application_dimensions(obj, old, new, old_areas, new_areas)
