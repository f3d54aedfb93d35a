"""Loading the extra sources: what every kind shares with the UN Digital Library load.

Each extra source (see unga.unvotes, unga.voeten, unga.dgacm) is loaded the way `unga.load`
loads the UN Digital Library file: one DuckDB transaction that replaces the previous release of
that source, rows that cannot be read go to the source's own rejected-rows table with the reason,
the load is logged in raw.load_log (with its `source_kind`), loading the same files again changes
nothing (same sha256), and every row read is either loaded or rejected.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from unga.errors import UserError
from unga.load import (
    DDL,
    LoadReport,
    connect,
    last_loaded_sha,
    log_loaded,
    log_unchanged,
    new_log_entry,
    sha256_of,
)
from unga.undl import _open_text, reading_errors, split_records

CHUNK_ROWS = 100_000


@dataclass
class Staged:
    """What reading a source gave: its layout, the files read and the number of rows read."""

    layout: str
    rows_read: int = 0
    files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceKind:
    """An extra source: its name in raw.load_log, its raw tables, and how to read and write it.

    `stage` reads the source into temporary tables; `write` checks the staged rows and writes
    them into `tables` and `rejected_table` (both run inside the load's transaction, after the
    previous release of the source has been deleted).
    """

    name: str
    label: str
    tables: tuple[str, ...]
    rejected_table: str
    stage: Callable[[duckdb.DuckDBPyConnection, Path], Staged]
    write: Callable[[duckdb.DuckDBPyConnection, int, Staged], None]
    input_files: Callable[[Path], list[Path]]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every raw table (all sources), empty where missing; add load_log.source_kind."""
    con.execute(DDL)


def ensure_warehouse_schema(db_path: Path) -> None:
    """Open the warehouse and create any raw table that is missing."""
    con = connect(db_path)
    try:
        ensure_schema(con)
    except duckdb.Error as err:
        raise UserError(f"preparing the raw tables of {db_path} failed: {err}") from None
    finally:
        con.close()


def fingerprint(files: Sequence[Path]) -> tuple[str, int]:
    """The sha256 of one file, or of the names and sha256s of several; and their total size."""
    if len(files) == 1:
        return sha256_of(files[0]), files[0].stat().st_size
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(f"{path.name}\0{sha256_of(path)}\n".encode())
    return digest.hexdigest(), sum(p.stat().st_size for p in files)


def load_source(
    kind: SourceKind, source_path: Path, origin: str, db_path: Path, *, force: bool = False
) -> LoadReport:
    """Load one extra source into the warehouse at `db_path` in one transaction."""
    started = datetime.now(UTC)
    files = kind.input_files(source_path)
    sha, size = fingerprint(files)
    con = connect(db_path)
    try:
        ensure_schema(con)
        entry = new_log_entry(
            con,
            kind=kind.name,
            origin=origin,
            file_name=source_path.name,
            size=size,
            sha=sha,
            started=started,
        )
        if not force and last_loaded_sha(con, kind.name, kind.tables[0]) == sha:
            return log_unchanged(con, entry)

        print(f"reading {kind.label} from {source_path} ({size / 1e6:.1f} MB)", file=sys.stderr)
        con.begin()
        try:
            staged = kind.stage(con, source_path)
            for table in (*kind.tables, kind.rejected_table):
                con.execute(f"delete from {table}")
            kind.write(con, entry["load_id"], staged)
            report = log_loaded(
                con,
                entry,
                layout=staged.layout,
                rows_read=staged.rows_read,
                tables=kind.tables,
                rejected_table=kind.rejected_table,
                what=f" of {source_path.name}",
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
    except duckdb.Error as err:
        raise UserError(f"loading {kind.label} into {db_path} failed: {err}") from None
    finally:
        con.close()
    return report


def describe(kind: SourceKind, report: LoadReport, seconds: float) -> None:
    """Tell on standard error what a load did."""
    if report.status == "unchanged":
        print(
            f"{kind.label}: unchanged since the last load (sha256 {report.sha256[:12]}…); "
            "nothing to load",
            file=sys.stderr,
        )
        return
    print(
        f"{kind.label}: loaded {report.rows_loaded:,} of {report.rows_read:,} rows "
        f"({report.rows_rejected:,} rejected) in {seconds:.1f} s",
        file=sys.stderr,
    )
    if report.rows_rejected:
        print(f"rejected rows and their reasons are in {kind.rejected_table}", file=sys.stderr)


# --- staging --------------------------------------------------------------------------------


def stage_malformed(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[str, int, str, object]]
) -> None:
    """Keep rows that could not be split into fields: (file, row, reason, what was read)."""
    con.execute(
        f"create temp table if not exists {table} "
        "(source_file varchar, source_row bigint, reason varchar, record varchar)"
    )
    if rows:
        con.executemany(
            f"insert into {table} values (?, ?, ?, ?)",
            [(f, n, reason, json.dumps(record)) for f, n, reason, record in rows],
        )


@dataclass
class CsvRead:
    """The outcome of reading one CSV file by column name."""

    rows_read: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    malformed: list[tuple[str, int, str, object]] = field(default_factory=list)


def read_csv(
    path: Path,
    columns: Sequence[str],
    required: Sequence[str],
    on_chunk: Callable[[dict[str, list[str]], list[int]], None],
    *,
    what: str,
    chunk_rows: int = CHUNK_ROWS,
) -> CsvRead:
    """Read a CSV file (plain or gzip) whose header names its columns, in any order.

    `columns` are the ones kept (case-insensitive); `required` must all be in the header.
    Rows with the wrong number of fields are returned as malformed, with the reason; other
    columns of the file are ignored and named in the result.
    """
    result = CsvRead()
    with reading_errors(path), _open_text(path) as handle:
        records: Iterator[list[str]] = csv.reader(handle)
        header = next(records, None)
        if header is None:
            raise UserError(f"{path.name} is empty: it has no header row")
        names = [h.strip().lower() for h in header]
        missing = [c for c in required if c not in names]
        if missing:
            raise UserError(f"{path.name} is not {what}: missing column(s) " + ", ".join(missing))
        positions = {c: names.index(c) for c in columns if c in names}
        result.ignored_columns = [h for h in names if h not in positions]
        n, malformed = split_records(records, len(names), positions, on_chunk, chunk_rows)
    result.rows_read = n
    result.malformed = [(path.name, row, reason, record) for row, reason, record in malformed]
    return result


# SQL snippets shared by the checks of the extra sources.


def whole_number(column: str) -> str:
    """SQL: true when the text column holds a whole number (12 or 12.0)."""
    c = f"trim({column})"
    return f"(regexp_full_match({c}, '[0-9]+(\\.0+)?') and try_cast({c} as double) is not null)"


def iso_date(column: str) -> str:
    """SQL: the text column as a date when written YYYY-MM-DD, else null."""
    return f"try_cast(try_strptime(trim({column}), '%Y-%m-%d') as date)"


# --- configuration for `unga build` ----------------------------------------------------------

ENV_VARS: dict[str, str] = {
    "unvotes": "UNGA_UNVOTES_DIR",
    "voeten": "UNGA_VOETEN_CSV",
    "dgacm": "UNGA_DGACM_DIR",
}


def kinds() -> dict[str, SourceKind]:
    from unga import dgacm, unvotes, voeten

    return {"unvotes": unvotes.KIND, "voeten": voeten.KIND, "dgacm": dgacm.KIND}


def resolve_path(kind_name: str, source: str, cache_dir: Path) -> tuple[Path, str]:
    """A local path for an extra source: Voeten's CSV may be a URL, the others are local."""
    from unga import fetch

    if kind_name == "voeten":
        local = fetch.resolve(source, cache_dir)
        return local.path, local.origin
    path = Path(source).expanduser()
    if not path.exists():
        raise UserError(f"the source {source} does not exist")
    return path, source


def load_kind(
    kind_name: str, source: str, db_path: Path, cache_dir: Path, *, force: bool = False
) -> LoadReport:
    """Load the extra source `kind_name` from `source` and tell what the load did."""
    kind = kinds()[kind_name]
    path, origin = resolve_path(kind_name, source, cache_dir)
    started = time.monotonic()
    report = load_source(kind, path, origin, db_path, force=force)
    describe(kind, report, time.monotonic() - started)
    return report


def load_configured(
    db_path: Path,
    cache_dir: Path,
    environ: dict[str, str] | None = None,
    *,
    force: bool = False,
) -> list[LoadReport]:
    """Create the raw tables of every source, then load the extra sources the environment names.

    UNGA_UNVOTES_DIR (the unvotes / TidyTuesday folder), UNGA_VOETEN_CSV (Voeten's UNVotes.csv,
    a path or URL) and UNGA_DGACM_DIR (a folder of DGACM JSON-lines files); unset ones are skipped.
    """
    env = os.environ if environ is None else environ
    ensure_warehouse_schema(db_path)
    reports = []
    for kind_name, var in ENV_VARS.items():
        source = env.get(var)
        if source:
            reports.append(load_kind(kind_name, source, db_path, cache_dir, force=force))
    return reports


# --- checking staged rows --------------------------------------------------------------------

CHECK_TEMPLATE = """
create or replace temp table checked as
with first_pass as (
    select
        *,
        case
            {reasons}
        end as reason
    from {incoming}
),
second_pass as (
    select
        *,
        first_value(source_row) over (partition by {key} order by source_row) as first_row
    from first_pass
    where reason is null
)
select * exclude (first_row) replace (
    case when first_row <> source_row
        then 'duplicate of row ' || first_row || ' ({key_label})'
    end as reason
)
from second_pass
union all by name
select * from first_pass where reason is not null
"""


def write_checked(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: int,
    incoming: str,
    columns: Sequence[str],
    reasons: str,
    key: str,
    key_label: str,
    insert_sql: str,
    rejected_table: str,
    file_name: str,
) -> None:
    """Give each staged row the first reason that applies (or a duplicate's), then write it.

    Rows without a reason are written by `insert_sql` (which selects from the temp table
    `checked` and takes the load id as its one parameter); the others go to `rejected_table`
    with the reason and the row as read.
    """
    con.execute(
        CHECK_TEMPLATE.format(reasons=reasons, incoming=incoming, key=key, key_label=key_label)
    )
    con.execute(insert_sql, [load_id])
    record = "struct_pack(" + ", ".join(f'"{c}" := "{c}"' for c in columns) + ")"
    con.execute(
        f"""
        insert into {rejected_table}
        select ?, ?, source_row, reason, cast(to_json({record}) as json)
        from checked
        where reason is not null
        order by source_row
        """,
        [load_id, file_name],
    )
    con.execute("drop table checked")


def write_malformed(
    con: duckdb.DuckDBPyConnection, load_id: int, table: str, rejected_table: str
) -> None:
    """Move the rows kept aside by `stage_malformed` into the rejected-rows table."""
    con.execute(
        f"create temp table if not exists {table} "
        "(source_file varchar, source_row bigint, reason varchar, record varchar)"
    )
    con.execute(
        f"""
        insert into {rejected_table}
        select ?, source_file, source_row, reason, cast(record as json)
        from {table}
        order by source_file, source_row
        """,
        [load_id],
    )
    con.execute(f"drop table {table}")


def blank(column: str) -> str:
    """SQL: true when the text column is missing, blank or R's NA."""
    return f"coalesce(trim({column}), '') in ('', 'NA')"


def text(column: str) -> str:
    """SQL: the text column with blanks and R's NA as null, otherwise as written."""
    return f"case when {blank(column)} then null else {column} end"
