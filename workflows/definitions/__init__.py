"""One module per workflow; each exposes ``WORKFLOW``."""
