"""Notices in the app: what the emails say, kept for each person as a list of unread and read
notices, with a count in the page header.

A notice is written where its email is queued (``tracker.mail.operations.queue``), in the same
transaction, for the same person, in the same language: every kind of email about an application,
a change, a proposal or a committee has its notice, and only those (account emails, such as a
password reset, have none)."""
