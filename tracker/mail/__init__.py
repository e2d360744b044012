"""Email: the people concerned are told when something needs them or something was decided.

An email is written to the outbox (``models.OutboxEmail``) in the same transaction as the change
it tells about, rendered in its recipient's language; ``flask --app wsgi mail send`` sends what
is due over SMTP and retries what failed. ``kinds`` is the one table of what is sent to whom.
"""
