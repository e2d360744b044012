"""The full-text indexes of applications (title and concept note) and organisations (name).

SQLite: an FTS5 table per indexed table, with external content (the text stays in its table,
the index holds only the words) kept in step by triggers on every insert, update and delete.
PostgreSQL: a GIN index on the same columns' words, which PostgreSQL keeps in step itself: for
organisations on an expression of the name; for applications on a stored generated column,
``search_document`` (migration ``0027_search_document``), so that a list walking its order can
test a row's words by reading them, not by parsing its title and concept note again (about 45
microseconds a row, against one). Both are created with the tables (``db.create_all``, the
events below) and by the migrations ``0021_search`` and ``0027_search_document``, which also
fill them for existing rows. No model maps ``search_document``: rows are read and written
without it.

Words are matched as they are written, without stemming, accents folded ("qualita" finds
"qualità"), each word of the query as a prefix ("filier" finds "filiera" and "filiere"):
PostgreSQL's ``simple`` configuration, not ``italian``. The ``italian`` stemmer would mangle the
organisation names (proper nouns: "Acciaierie" to "acciai") and the English of some notes, and
SQLite's FTS5 has no Italian stemmer: with ``simple`` both databases find the same rows, and
prefixes cover the plurals and inflections a stemmer would.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from tracker.applications.models import Application
from tracker.organisations.models import Organisation

#: the indexed text of each table: (FTS5 table, content table, columns)
INDEXES = {
    "applications_search": (
        "applications",
        ("title", "challenges", "needs", "objectives", "actions", "investments"),
    ),
    "organisations_search": ("organisations", ("name",)),
}
#: what FTS5 adds beside each virtual table (reflection lists them; the models do not describe them)
SHADOW_SUFFIXES = ("", "_data", "_idx", "_docsize", "_config")
SEARCH_TABLES = frozenset(name + s for name in INDEXES for s in SHADOW_SUFFIXES)

# Accents folded on PostgreSQL (SQLite's tokenizer folds them itself: remove_diacritics 2).
ACCENTED = "àáâäãåèéêëìíîïòóôöõùúûüýÿçñÀÁÂÄÃÅÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÝÇÑ"
PLAIN = "aaaaaaeeeeiiiiooooouuuuyycnAAAAAAEEEEIIIIOOOOOUUUUYCN"


def pg_document(columns: tuple[str, ...], table: str | None = None) -> str:
    """The SQL of the tsvector PostgreSQL indexes: the columns joined, accents folded. Queries
    use the very same text (``table`` only qualifies the columns), so the planner uses the
    index."""
    prefix = f"{table}." if table else ""
    joined = " || ' ' || ".join(f"coalesce({prefix}{c}, '')" for c in columns)
    return f"to_tsvector('simple'::regconfig, translate({joined}, '{ACCENTED}', '{PLAIN}'))"


def sqlite_ddl(name: str) -> list[str]:
    """The FTS5 table ``name`` and the three triggers that keep it in step with its table."""
    table, columns = INDEXES[name]
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def sqlite_rebuild(name: str) -> str:
    """Fill the FTS5 table ``name`` again from its table (a migration's backfill, a bulk load)."""
    return f"INSERT INTO {name}({name}) VALUES ('rebuild')"


#: PostgreSQL: the indexes whose words are kept in a stored generated column, by index
PG_STORED = {"applications_search": "search_document"}


def pg_vector(name: str) -> str:
    """The SQL of the words PostgreSQL indexes as ``name``, the table's columns qualified: the
    stored column, or the expression the index is built on."""
    table, columns = INDEXES[name]
    stored = PG_STORED.get(name)
    return f"{table}.{stored}" if stored else pg_document(columns, table)


def pg_expression_index(name: str) -> str:
    """A GIN index on the expression of the words (``0021_search``'s index on both tables)."""
    table, columns = INDEXES[name]
    return f"CREATE INDEX ix_{name} ON {table} USING gin ({pg_document(columns)})"


def pg_ddl(name: str) -> list[str]:
    """The index ``name`` on PostgreSQL, and its stored column if it has one."""
    table, columns = INDEXES[name]
    stored = PG_STORED.get(name)
    if stored is None:
        return [pg_expression_index(name)]
    return [
        f"ALTER TABLE {table} ADD COLUMN {stored} tsvector "
        f"GENERATED ALWAYS AS ({pg_document(columns)}) STORED",
        f"CREATE INDEX ix_{name} ON {table} USING gin ({stored})",
    ]


def _attach(model, name: str) -> None:
    table = model.__table__
    for statement in sqlite_ddl(name):
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in pg_ddl(name):
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    # the FTS5 table outlives its content table otherwise (the index on PostgreSQL goes with it)
    event.listen(
        table, "before_drop", DDL(f"DROP TABLE IF EXISTS {name}").execute_if(dialect="sqlite")
    )


_attach(Application, "applications_search")
_attach(Organisation, "organisations_search")
