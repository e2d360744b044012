"""What the bulk-decision tests share besides fixtures (a conftest is not importable by name:
another folder's conftest may hold the name first)."""

#: the decree every bulk grant of these tests is decided under
DECREE = {"decree_number": "15907", "decree_date": "2023-11-10"}
