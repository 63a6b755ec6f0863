"""Restoring a PostgreSQL backup in one transaction that compares the schema before it
commits (``factcheck restore``).

``pg_restore`` writes the archive as SQL, which ``psql`` runs between our ``BEGIN`` and a
closing script: that script reads the restored schema with schema.py's catalog query,
prints it, and commits only when it equals the expected one (or when forced). A backup that
differs is thus rolled back, never half-restored; the caller turns the printed schema into
words. The SQL runs under psql's ``\\restrict`` (pg_restore's own, or ours for older
clients), so an archive cannot slip psql commands in.
"""

from __future__ import annotations

import secrets
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import schema

CHUNK = 1 << 16
#: how pg_restore's SQL begins when it restricts psql itself (13.22, 14.19, 15.14, 16.10,
#: 17.6 and later); anything else gets our own \restrict (two fail safe: psql stops)
RESTRICTED = b"--\n-- PostgreSQL database dump\n--\n\n\\restrict "


@dataclass
class Outcome:
    ok: bool  # both tools succeeded
    error: str = ""
    committed: bool = False
    #: the archive's SQL ended our transaction itself: what it restored stays
    escaped: bool = False
    #: the schema as restored, read before the commit or rollback
    found: schema.Schema = field(default_factory=dict)


def archive_revision(pg_restore: str, backup: Path) -> tuple[list[str], str]:
    """The schema versions recorded in the archive's ``alembic_version``, and pg_restore's
    complaint when it cannot read the file."""
    command = [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(backup)]
    result = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        return [], result.stderr.strip() or f"pg_restore exited with {result.returncode}"
    versions, inside = [], False
    for line in result.stdout.splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            inside = True
        elif inside and line == "\\.":
            break
        elif inside:
            versions.append(line.strip())
    return versions, ""


def restore(
    tools: tuple[str, str],
    backup: Path,
    dbname: str,
    env: dict[str, str],
    target_schema: str,
    wanted: schema.Schema | None,
    force: bool,
) -> Outcome:
    """Run the archive through psql in one transaction (see the module's docstring)."""
    pg_restore, psql = tools
    marker = f"FC-{secrets.token_hex(8)}"
    closing = _closing_script(marker, target_schema, wanted, force)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        reader = subprocess.Popen(  # noqa: S603
            [pg_restore, "--clean", "--if-exists", "--no-owner", "--file=-", str(backup)],
            stdout=subprocess.PIPE,
            stderr=err,
        )
        client = subprocess.Popen(  # noqa: S603
            [psql, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
            + ["--dbname", dbname],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            env=env,
        )
        _feed(reader, client, closing)
        out.seek(0)
        err.seek(0)
        output = out.read().decode("utf-8", "replace")
        errors = err.read().decode("utf-8", "replace").strip()
    if reader.returncode != 0 or client.returncode != 0:
        return Outcome(ok=False, error=errors or "pg_restore or psql failed")
    outcome = Outcome(ok=True)
    for line in output.splitlines():
        if line.startswith(f"{marker}-ROW\t"):
            _, kind, name, detail = (line.split("\t", 3) + [""])[:4]
            outcome.found[(kind, name)] = detail
        outcome.committed |= line == f"{marker}-COMMITTED"
        outcome.escaped |= line == f"{marker}-ESCAPED"
    return outcome


def _feed(reader: subprocess.Popen, client: subprocess.Popen, closing: str) -> None:
    """pg_restore's SQL into psql, between our opening and closing; the closing only once
    pg_restore has succeeded (psql then ends without a COMMIT: nothing is kept)."""
    try:
        client.stdin.write(b"BEGIN;\nSELECT txid_current() AS fc_txid \\gset\n")
        first = reader.stdout.read(CHUNK)
        key = None if first.startswith(RESTRICTED) else secrets.token_urlsafe(32)
        if key:  # an older pg_restore: restrict psql ourselves
            client.stdin.write(f"\\restrict {key}\n".encode())
        while first:
            client.stdin.write(first)
            first = reader.stdout.read(CHUNK)
        if reader.wait() == 0:
            if key:
                client.stdin.write(f"\n\\unrestrict {key}\n".encode())
            client.stdin.write(closing.encode())
    except BrokenPipeError:
        pass  # psql stopped on an error: its message is in stderr
    finally:
        reader.stdout.close()
        if reader.poll() is None:
            reader.kill()
        reader.wait()
        try:
            client.stdin.close()
        except BrokenPipeError:
            pass
        client.wait()


def _closing_script(marker: str, target_schema: str, wanted: schema.Schema | None, force: bool):
    lines = [
        "",
        "SELECT txid_current() = :'fc_txid'::bigint AS fc_one_transaction \\gset",
        "\\if :fc_one_transaction",
        "\\else",
        f"\\echo {marker}-ESCAPED",
        "\\q",
        "\\endif",
    ]
    if wanted is None:  # forced, with no expected schema to compare with
        return "\n".join(lines + ["COMMIT;", f"\\echo {marker}-COMMITTED", ""])
    values = ",\n".join(
        f"({schema.sql_literal(kind)}, {schema.sql_literal(name)}, {schema.sql_literal(detail)})"
        for (kind, name), detail in sorted(wanted.items())
    )
    lines += [
        "SET LOCAL standard_conforming_strings = on;",
        f"SET LOCAL search_path TO {schema.quote_identifier(target_schema)};",
        "CREATE TEMP TABLE fc_expected (kind text, name text, detail text) ON COMMIT DROP;",
        f"INSERT INTO fc_expected VALUES\n{values};",
        "CREATE TEMP TABLE fc_found ON COMMIT DROP AS",
        schema.fingerprint_sql(target_schema).strip() + ";",
        f"SELECT '{marker}-ROW', kind, name, detail FROM fc_found;",  # noqa: S608 (our marker)
        f"SELECT {'true' if force else 'false'} OR NOT EXISTS ("
        "(TABLE fc_found EXCEPT TABLE fc_expected) UNION ALL "
        "(TABLE fc_expected EXCEPT TABLE fc_found)) AS fc_commit \\gset",
        "\\if :fc_commit",
        "COMMIT;",
        f"\\echo {marker}-COMMITTED",
        "\\else",
        "ROLLBACK;",
        "\\endif",
        "",
    ]
    return "\n".join(lines)
