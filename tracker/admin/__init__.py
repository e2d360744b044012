"""The administration area (``/admin``), for the ``admin`` role: people, their roles,
organisation, invitations, deactivation and API tokens. The changes are the operations of
``tracker.auth.operations``, each written to the account audit log."""
