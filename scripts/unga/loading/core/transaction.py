"""The one transaction of a load, and what a source kind gives it.

A load of any source kind: compute the sha256 of its files; if the last release loaded of that
kind had the same, log `unchanged` and write nothing. Otherwise, in one DuckDB transaction: stage
the files (the kind reads them into temporary tables), delete the previous release of the kind,
write the checked rows and the rejected ones, check that rows read = rows loaded + rows
rejected, and log the load. Any failure rolls the transaction back: the warehouse holds exactly
what it held before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from unga.errors import UserError
from unga.loading.core.checks import create_malformed_table, write_malformed
from unga.loading.core.warehouse import (
    LoadReport,
    connect,
    ensure_schema,
    fingerprint,
    last_loaded_sha,
    log_loaded,
    log_unchanged,
    new_log_entry,
)


@dataclass
class Staged:
    """What reading a source gave: its layout, the files read and the number of rows read."""

    layout: str
    rows_read: int = 0
    files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceKind:
    """A kind of source: where it comes from, its raw tables, and how to read and write it.

    `stage` reads the source into temporary tables (rows it cannot split into fields go to the
    temporary table `malformed_rows`); `write` checks the staged rows and writes them into
    `tables` and `rejected_table`. Both run inside the load's transaction, `write` after the
    previous release of the kind has been deleted. The first of `tables` holds a row of every
    release that loaded something, which is how a second load of the same files is recognised.
    """

    name: str
    label: str
    env_var: str
    source_noun: str
    accepts_url: bool
    required: bool
    tables: tuple[str, ...]
    rejected_table: str
    ddl: str
    input_files: Callable[[Path], list[Path]]
    stage: Callable[[duckdb.DuckDBPyConnection, Path], Staged]
    write: Callable[[duckdb.DuckDBPyConnection, int, Staged], None]


def load_source(
    kind: SourceKind,
    source_path: Path,
    origin: str,
    db_path: Path,
    *,
    schema_ddl: str,
    force: bool = False,
    provenance: Mapping[str, object] | None = None,
) -> LoadReport:
    """Load one release of `kind` from `source_path` into the warehouse at `db_path`.

    `schema_ddl` creates every raw table that is missing (those of all kinds, so that dbt builds
    whichever sources were loaded); `origin` is what raw.load_log records as the source, and
    `provenance` where the release came from (warehouse.PROVENANCE).
    """
    started = datetime.now(UTC)
    files = kind.input_files(source_path)
    sha, size = fingerprint(files)
    con = connect(db_path)
    try:
        ensure_schema(con, schema_ddl)
        entry = new_log_entry(
            con,
            kind=kind.name,
            origin=origin,
            file_name=source_path.name,
            size=size,
            sha=sha,
            started=started,
            provenance=provenance or {},
        )
        if not force and last_loaded_sha(con, kind.name, kind.tables[0]) == sha:
            return log_unchanged(con, entry)

        print(f"reading {kind.label} from {source_path} ({size / 1e6:.1f} MB)", file=sys.stderr)
        con.begin()
        try:
            create_malformed_table(con)
            staged = kind.stage(con, source_path)
            print(
                f"read {staged.rows_read:,} rows ({staged.layout}); checking and loading",
                file=sys.stderr,
            )
            for table in (*kind.tables, kind.rejected_table):
                con.execute(f"delete from {table}")
            kind.write(con, int(entry["load_id"]), staged)
            write_malformed(con, int(entry["load_id"]), kind.rejected_table)
            report = log_loaded(
                con,
                entry,
                layout=staged.layout,
                rows_read=staged.rows_read,
                tables=kind.tables,
                rejected_table=kind.rejected_table,
                what=source_path.name,
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
    except duckdb.Error as err:
        first_line = str(err).strip().splitlines()[0]
        raise UserError(f"loading {kind.label} into {db_path} failed: {first_line}") from None
    finally:
        con.close()
    return report
