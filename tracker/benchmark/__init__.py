"""``make bench``: a database of N value-chain applications and the server times measured on it.

``python -m tracker.benchmark --n 100000`` builds (or reuses) ``instance/bench-1000.db`` and
``instance/bench-100000.db`` and prints one table comparing them with the targets.
"""
