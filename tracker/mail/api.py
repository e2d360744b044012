"""The token user's choice of emails: the same as their account page."""

from __future__ import annotations

from tracker.api.framework import endpoint
from tracker.auth.models import User
from tracker.database import commit
from tracker.mail.operations import set_preferences
from tracker.mail.schemas import EmailPreferencesIn, EmailPreferencesOut

RULE = "/me/email-preferences"


@endpoint("GET", RULE, summary="The emails you receive", tag="people", response=EmailPreferencesOut)
def get_email_preferences(user: User) -> EmailPreferencesOut:
    """Every kind of email offered to you (by your roles); all are received until turned off."""
    return EmailPreferencesOut.of(user)


@endpoint(
    "PUT", RULE, summary="Choose the emails you receive", tag="people", body=EmailPreferencesIn,
    response=EmailPreferencesOut, errors=(422,),
)  # fmt: skip
def put_email_preferences(user: User, body: EmailPreferencesIn) -> EmailPreferencesOut:
    """Receive the kinds listed in ``receive``; the other kinds offered to you are turned off.
    422 for a kind not offered to you."""
    set_preferences(user, body.receive)
    commit()
    return EmailPreferencesOut.of(user)
