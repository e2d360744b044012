"""What other packages may listen to without the core knowing them (blinker, as Flask does).

Receivers run inside the transaction of the change, before it is flushed: what they add to the
session (a tally, an email in the outbox) is committed with the change or not at all.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: sent by ``tracker.firing.fire_transition`` after the state moved and the history row was added;
#: sender is the subject's model class; keyword arguments: subject, entry, firing, user, and
#: first_submission (this change hands the subject to the evaluators for the first time)
state_changed = _signals.signal("state-changed")

#: sent when a workflow subject (an application, a proposal) is created in its initial state;
#: sender is the subject's model class; keyword arguments: subject, user
subject_created = _signals.signal("subject-created")

#: sent when a draft never submitted is deleted, before its row goes; sender is the subject's
#: model class; keyword arguments: subject, user
subject_deleted = _signals.signal("subject-deleted")

#: sent when a committee member is appointed to a call's evaluation committee, after the row is
#: flushed; sender is CommitteeMember; keyword arguments: member (the row), user (who appointed)
committee_appointed = _signals.signal("committee-appointed")

#: sent when a partnership change comes into force (``tracker.changes``), after the partner list
#: changed; sender is Application; keyword arguments: application, joined and left (an
#: organisation id or None), old_lead_province and new_lead_province (None unless the lead changed)
partnership_changed = _signals.signal("partnership-changed")
