"""Tamper-evident history: every history row carries a SHA-256 hash chained to the previous row
of its subject, and the subject carries its chain's head (``tracker.audit.chain``);
``flask --app wsgi audit verify`` walks every chain (``tracker.audit.verify``), and the ORM and
the database refuse to change or delete a history row (``tracker.audit.models``)."""
