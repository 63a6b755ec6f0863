"""The schema the migrations make, and how a database's differs (``check`` and ``restore``).

The expected schema is built by running the migrations on a scratch database: a temporary
SQLite file, or a temporary schema of the PostgreSQL database, dropped afterwards; once per
process and revision. Both sides are then read the same way, as ``{(kind, name): detail}``:

- SQLite: SQLAlchemy's inspector (tables, columns, primary and foreign keys, indexes, unique
  and check constraints) and ``sqlite_master`` (triggers, views, virtual tables);
- PostgreSQL: one catalog query (``fingerprint_sql``) over tables, columns, constraints,
  indexes, triggers, views, rules, row-security policies and functions. One query, so that
  ``restore`` can run it inside psql's transaction and roll back a backup that differs.
"""

from __future__ import annotations

import logging
import re
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import inspect
from sqlalchemy.engine import URL, Connection

from ..database import init_database
from ..extensions import db

#: (kind, name) → what it is, whitespace collapsed
Schema = dict[tuple[str, str], str]

_EXPECTED: dict[tuple[str, str], Schema] = {}


def _collapse(sql: str | None) -> str:
    return " ".join((sql or "").split())


def known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of the installed migrations."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or ambiguous id
        return False


def read(conn: Connection, schema: str | None = None) -> Schema:
    """The schema of the database behind ``conn`` (on PostgreSQL: of ``schema``, by default
    the connection's current one)."""
    if conn.dialect.name == "sqlite":
        return read_sqlite(conn)
    if schema is None:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    rows = conn.exec_driver_sql(fingerprint_sql(schema)).all()
    return {(kind, name): detail for kind, name, detail in rows}


# --- SQLite -------------------------------------------------------------------------------


def read_sqlite(conn: Connection) -> Schema:
    master = conn.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).all()
    virtual = {name for _, name, _, sql in master if _is_virtual(sql)}
    # a virtual table's shadow tables belong to its module (FTS5), which may lay them out
    # differently from one SQLite version to the next: the virtual table's SQL stands for them
    shadow = {n for _, n, _, _ in master if any(n.startswith(f"{v}_") for v in virtual)}
    found: Schema = {}
    inspector = inspect(conn)
    for kind, name, table, sql in master:
        if name in shadow or table in shadow:
            continue
        if kind == "table" and name in virtual:
            found[("table", name)] = _collapse(sql)
        elif kind == "table":
            found[("table", name)] = "AUTOINCREMENT" if "AUTOINCREMENT" in sql.upper() else ""
            found.update(_sqlite_table(inspector, name))
        elif kind in ("trigger", "view"):
            found[(kind, name if kind == "view" else f"{table}.{name}")] = _collapse(sql)
    return found


def _is_virtual(sql: str | None) -> bool:
    return _collapse(sql).upper().startswith("CREATE VIRTUAL")


def _sqlite_table(inspector, table: str) -> Schema:
    found: Schema = {}
    for column in inspector.get_columns(table):
        null = "NULL" if column["nullable"] else "NOT NULL"
        default = f" DEFAULT {column['default']}" if column.get("default") is not None else ""
        found[("column", f"{table}.{column['name']}")] = f"{column['type']} {null}{default}"
    found[("primary key", table)] = ", ".join(
        inspector.get_pk_constraint(table)["constrained_columns"]
    )
    for fk in inspector.get_foreign_keys(table):
        columns = ", ".join(fk["constrained_columns"])
        options = " ".join(f"{k} {v}" for k, v in sorted(fk.get("options", {}).items()))
        key = ("foreign key", f"{table}({columns}) -> {fk['referred_table']}")
        found[key] = f"({', '.join(fk['referred_columns'])}) {options}".strip()
    for index in inspector.get_indexes(table):
        columns = ", ".join(str(c) for c in index.get("expressions") or index["column_names"])
        where = (index.get("dialect_options") or {}).get("sqlite_where")
        detail = f"{'UNIQUE ' if index['unique'] else ''}({columns})"
        if where is not None:
            detail += f" WHERE {_collapse(str(where))}"
        found[("index", f"{table}.{index['name']}")] = detail
    for unique in inspector.get_unique_constraints(table):
        found[("unique", f"{table}({', '.join(unique['column_names'])})")] = ""
    for check in inspector.get_check_constraints(table):
        text = _collapse(check["sqltext"])
        found[("check", f"{table}.{check.get('name') or text}")] = text
    return found


# --- PostgreSQL ---------------------------------------------------------------------------

_PG_FINGERPRINT = """
WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = {name}),
rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity
  FROM pg_catalog.pg_class c JOIN ns ON c.relnamespace = ns.oid
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass
    AND d.objid = c.oid AND d.deptype = 'e')
),
items (kind, name, detail) AS (
  SELECT 'table', relname, concat_ws(' ',
    CASE relkind WHEN 'p' THEN 'PARTITIONED' WHEN 'f' THEN 'FOREIGN' END,
    CASE relpersistence WHEN 'u' THEN 'UNLOGGED' END,
    CASE WHEN relrowsecurity THEN 'ROW SECURITY' END,
    CASE WHEN relforcerowsecurity THEN 'FORCED' END)
  FROM rel WHERE relkind IN ('r', 'p', 'f')
  UNION ALL
  SELECT CASE relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END, relname,
    pg_catalog.pg_get_viewdef(oid)
  FROM rel WHERE relkind IN ('v', 'm')
  UNION ALL
  SELECT 'column', r.relname || '.' || a.attname, concat_ws(' ',
    pg_catalog.format_type(a.atttypid, a.atttypmod),
    CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'NULL' END,
    CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY'
      WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END,
    CASE WHEN a.attgenerated = 's' THEN 'GENERATED ALWAYS AS' END,
    'DEFAULT ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
    CASE WHEN a.attcollation <> t.typcollation THEN 'COLLATE ' || co.collname END)
  FROM rel r
  JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
  WHERE r.relkind IN ('r', 'p', 'f')
  UNION ALL
  SELECT 'constraint', r.relname || '.' || con.conname,
    pg_catalog.pg_get_constraintdef(con.oid)
    || CASE WHEN con.convalidated THEN '' ELSE ' NOT VALID' END
  FROM pg_catalog.pg_constraint con JOIN rel r ON con.conrelid = r.oid
  UNION ALL
  SELECT 'index', r.relname || '.' || i.relname, pg_catalog.pg_get_indexdef(x.indexrelid)
    || CASE WHEN x.indisvalid THEN '' ELSE ' INVALID' END
  FROM pg_catalog.pg_index x JOIN rel r ON x.indrelid = r.oid
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  UNION ALL
  SELECT 'trigger', r.relname || '.' || tg.tgname, pg_catalog.pg_get_triggerdef(tg.oid)
    || CASE tg.tgenabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' REPLICA'
      WHEN 'A' THEN ' ALWAYS' ELSE '' END
  FROM pg_catalog.pg_trigger tg JOIN rel r ON tg.tgrelid = r.oid WHERE NOT tg.tgisinternal
  UNION ALL
  SELECT 'rule', r.relname || '.' || rw.rulename, pg_catalog.pg_get_ruledef(rw.oid)
  FROM pg_catalog.pg_rewrite rw JOIN rel r ON rw.ev_class = r.oid
  WHERE rw.rulename <> '_RETURN'
  UNION ALL
  SELECT 'policy', r.relname || '.' || p.polname, concat_ws(' ', p.polcmd::text,
    CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
    p.polroles::text, 'USING ' || pg_catalog.pg_get_expr(p.polqual, p.polrelid),
    'WITH CHECK ' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid))
  FROM pg_catalog.pg_policy p JOIN rel r ON p.polrelid = r.oid
  UNION ALL
  SELECT 'function', p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid)
    || ')', pg_catalog.pg_get_functiondef(p.oid)
  FROM pg_catalog.pg_proc p JOIN ns ON p.pronamespace = ns.oid
  WHERE p.prokind IN ('f', 'p') AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass
    AND d.objid = p.oid AND d.deptype = 'e')
)
SELECT kind, pg_catalog.regexp_replace(name, '\\s+', ' ', 'g') AS name,
  pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.replace(pg_catalog.replace(
    detail, {quoted}, ''), {bare}, ''), '\\s+', ' ', 'g')) AS detail
FROM items
"""


def fingerprint_sql(schema: str) -> str:
    """The query that reads ``schema`` as ``(kind, name, detail)`` rows (names within the
    schema are written without it, so that two schemas compare)."""
    return _PG_FINGERPRINT.format(
        name=sql_literal(schema),
        quoted=sql_literal(quote_identifier(schema) + "."),
        bare=sql_literal(schema + "."),
    )


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    """A SQL string literal (standard_conforming_strings, PostgreSQL's default)."""
    return "'" + text.replace("'", "''") + "'"


# --- the expected schema ------------------------------------------------------------------


def expected(revision: str) -> Schema:
    """What the migrations up to ``revision`` make on the current app's kind of database."""
    dialect = db.engine.dialect.name
    key = (dialect, revision)
    if key not in _EXPECTED:
        build = _expected_sqlite if dialect == "sqlite" else _expected_postgresql
        _EXPECTED[key] = build(revision)
    return _EXPECTED[key]


def _expected_sqlite(revision: str) -> Schema:
    with tempfile.TemporaryDirectory(prefix="factcheck-schema-") as folder:
        path = Path(folder) / "expected.db"
        with _scratch_app(f"sqlite:///{path}", {}):
            _migrate(revision)
            with db.engine.connect() as conn:
                return read_sqlite(conn)


def _expected_postgresql(revision: str) -> Schema:
    name = f"factcheck_expected_{secrets.token_hex(6)}"
    url = db.engine.url
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        options = {"connect_args": {"options": f"-csearch_path={name}"}}
        with _scratch_app(url, options):
            _migrate(revision)
            with db.engine.connect() as conn:
                return read(conn, name)
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@contextmanager
def _scratch_app(url: str | URL, engine_options: dict):
    """An app context on the scratch database: the same migrations, engine set-up and
    migration settings as the app's own (``database.init_database``)."""
    scratch = Flask("factcheck.expected_schema")
    scratch.config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options,
        SQLITE_BUSY_TIMEOUT_MS=current_app.config["SQLITE_BUSY_TIMEOUT_MS"],
    )
    init_database(scratch)
    with scratch.app_context():
        try:
            yield scratch
        finally:
            db.engine.dispose()


def _migrate(revision: str) -> None:
    config = current_app.extensions["migrate"].migrate.get_config()
    logging.disable(logging.INFO)  # the migrations' progress is not the command's output
    try:
        command.upgrade(config, revision)
    finally:
        logging.disable(logging.NOTSET)


# --- differences --------------------------------------------------------------------------


def differences(expected: Schema, found: Schema) -> list[str]:
    """What differs, in words: a missing or unexpected table is one line, not one per column,
    index and key it has."""
    whole = {
        name
        for kind, name in expected.keys() ^ found.keys()
        if kind in ("table", "view", "materialized view")
    }
    lines = []
    for key in sorted(expected.keys() | found.keys(), key=_order):
        kind, name = key
        if kind not in ("table", "view", "materialized view") and _table(name) in whole:
            continue
        if key not in found:
            lines.append(f"missing {kind} {name}")
        elif key not in expected:
            detail = _short(found[key])
            lines.append(f"unexpected {kind} {name}" + (f": {detail}" if detail else ""))
        elif expected[key] != found[key]:
            lines.append(
                f"{kind} {name} differs: expected {_short(expected[key]) or '(nothing)'}, "
                f"found {_short(found[key]) or '(nothing)'}"
            )
    return lines


KINDS = (
    "table", "view", "materialized view", "column", "primary key", "constraint", "foreign key",
    "unique", "check", "index", "trigger", "rule", "policy", "function",
)  # fmt: skip


def _order(key: tuple[str, str]) -> tuple[int, str]:
    kind, name = key
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), name)


def _table(name: str) -> str:
    return re.split(r"[.(]", name, maxsplit=1)[0]


def _short(detail: str, limit: int = 200) -> str:
    return detail if len(detail) <= limit else detail[: limit - 1] + "…"
