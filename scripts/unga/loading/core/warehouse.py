"""The warehouse side of a load: the connection, the raw schema, the load log and its accounting.

Every load writes one row to raw.load_log: `loaded` (the release replaced the previous one of its
source kind, with the rows read, loaded and rejected) or `unchanged` (the same files, by sha256,
as the last release loaded: nothing was written). The row also says where the release came
from (PROVENANCE): the record it was found on, its name as published, the address it was
downloaded from, the date its name carries, when it was found, and what the server said of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from unga import __version__
from unga.errors import UserError

# DuckDB's memory during a load; the rest of the process stays small (the rows never pass
# through Python). With 256 MB the staged rows of the UN Digital Library file spill to disk and
# the load takes 1.4 times as long; with 512 MB the whole process peaks at about 0.6 GB
# (docs/PERFORMANCE.md).
MEMORY_LIMIT = "512MB"

LOAD_LOG_DDL = """
create schema if not exists raw;
create table if not exists raw.load_log (
    load_id integer primary key,
    source varchar not null,
    file_name varchar not null,
    file_size_bytes bigint not null,
    sha256 varchar not null,
    header_layout varchar,
    status varchar not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    loader_version varchar not null,
    source_kind varchar default 'undl'
);
-- Warehouses written before source_kind existed: every load they logged was a UN Digital
-- Library load.
alter table raw.load_log add column if not exists source_kind varchar default 'undl';
-- Where each release came from (empty in rows logged before these columns existed).
alter table raw.load_log add column if not exists record varchar;
alter table raw.load_log add column if not exists release_file varchar;
alter table raw.load_log add column if not exists url varchar;
alter table raw.load_log add column if not exists release_date date;
alter table raw.load_log add column if not exists found_at timestamptz;
alter table raw.load_log add column if not exists release_version varchar;
alter table raw.load_log add column if not exists etag varchar;
alter table raw.load_log add column if not exists last_modified varchar;
"""
# The columns of raw.load_log that say where a release came from, as a load is given them.
PROVENANCE = (
    "record",
    "release_file",
    "url",
    "release_date",
    "found_at",
    "release_version",
    "etag",
    "last_modified",
)


@dataclass(frozen=True)
class LoadReport:
    """What a load did, as written to raw.load_log."""

    load_id: int
    status: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    layout: str | None
    sha256: str


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing, with a clear message when another process holds it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db_path), config={"memory_limit": MEMORY_LIMIT})
    except duckdb.Error as err:
        raise UserError(f"cannot open the warehouse {db_path} for writing: {err}") from None
    # The load tells its own progress, in lines that read well in a log too.
    con.execute("set enable_progress_bar = false")
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection, tables_ddl: str) -> None:
    """Create the load log and the tables of `tables_ddl` where they are missing."""
    con.execute(LOAD_LOG_DDL + tables_ddl)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(files: Sequence[Path]) -> tuple[str, int]:
    """The sha256 of one file, or of the names and sha256s of several; and their total size."""
    try:
        if len(files) == 1:
            return sha256_of(files[0]), files[0].stat().st_size
        digest = hashlib.sha256()
        for path in sorted(files, key=lambda p: p.name):
            digest.update(f"{path.name}\0{sha256_of(path)}\n".encode())
        return digest.hexdigest(), sum(p.stat().st_size for p in files)
    except OSError as err:
        raise UserError(f"reading {err.filename} failed: {err.strerror or err}") from None


def last_loaded_sha(con: duckdb.DuckDBPyConnection, kind: str, table: str) -> str | None:
    """The sha256 of the last release of source `kind` loaded, if its rows are still in `table`."""
    row = con.execute(
        f"""
        select log.sha256
        from raw.load_log as log
        where log.load_id = (
            select max(load_id) from raw.load_log where status = 'loaded' and source_kind = ?
        )
          and exists (select 1 from {table} as t where t.load_id = log.load_id)
        """,
        [kind],
    ).fetchone()
    return row[0] if row else None


def held_release(con: duckdb.DuckDBPyConnection, kind: str, table: str) -> dict[str, object] | None:
    """The raw.load_log row of the release of source `kind` the warehouse holds: the latest
    load (or finding it unchanged) of the files whose rows `table` holds, or None."""
    cursor = con.execute(
        f"""
        select log.*
        from raw.load_log as log
        where log.source_kind = ? and log.status in ('loaded', 'unchanged')
          and log.sha256 = (
            select last.sha256
            from raw.load_log as last
            where last.load_id = (
                select max(load_id) from raw.load_log where status = 'loaded' and source_kind = ?
            )
              and exists (select 1 from {table} as t where t.load_id = last.load_id)
          )
        order by log.load_id desc
        limit 1
        """,
        [kind, kind],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip((d[0] for d in cursor.description), row, strict=True))


def write_log(con: duckdb.DuckDBPyConnection, values: dict[str, object]) -> None:
    """Append one row to raw.load_log."""
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    con.execute(f"insert into raw.load_log ({names}) values ({marks})", list(values.values()))


def new_log_entry(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    origin: str,
    file_name: str,
    size: int,
    sha: str,
    started: datetime,
    provenance: Mapping[str, object],
) -> dict[str, object]:
    """The raw.load_log values every load shares, with the next load_id and where the release
    came from (`provenance`: the columns of PROVENANCE it knows)."""
    unknown = set(provenance) - set(PROVENANCE)
    if unknown:
        raise ValueError(f"not columns of raw.load_log: {sorted(unknown)}")
    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from raw.load_log").fetchone()[0]
    return dict(provenance) | {
        "load_id": int(load_id),
        "source": origin,
        "file_name": file_name,
        "file_size_bytes": size,
        "sha256": sha,
        "started_at": started,
        "loader_version": __version__,
        "source_kind": kind,
    }


def log_unchanged(con: duckdb.DuckDBPyConnection, entry: dict[str, object]) -> LoadReport:
    """Log a load of the release already loaded, which writes nothing."""
    write_log(
        con,
        entry
        | {
            "header_layout": None,
            "status": "unchanged",
            "rows_read": 0,
            "rows_loaded": 0,
            "rows_rejected": 0,
            "finished_at": datetime.now(UTC),
        },
    )
    return LoadReport(int(entry["load_id"]), "unchanged", 0, 0, 0, None, str(entry["sha256"]))


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"select count(*) from {table}").fetchone()[0])


def log_loaded(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, object],
    *,
    layout: str,
    rows_read: int,
    tables: tuple[str, ...],
    rejected_table: str,
    what: str,
) -> LoadReport:
    """Check that every row read was loaded or rejected and that some were loaded, then log it.

    Runs inside the load's transaction, after the rows were written; `what` names the source in
    the message when nothing could be loaded.
    """
    loaded = sum(count_rows(con, t) for t in tables)
    rejected = count_rows(con, rejected_table)
    if loaded + rejected != rows_read:
        raise UserError(
            f"row accounting failed: read {rows_read}, loaded {loaded}, rejected {rejected}"
        )
    if loaded == 0:
        top = con.execute(
            f"select reason, count(*) from {rejected_table} group by 1 order by 2 desc limit 1"
        ).fetchone()
        raise UserError(
            f"none of the {rows_read:,} rows could be loaded "
            f"({top[1]:,} rejected as: {top[0]}) from {what}"
        )
    write_log(
        con,
        entry
        | {
            "header_layout": layout,
            "status": "loaded",
            "rows_read": rows_read,
            "rows_loaded": loaded,
            "rows_rejected": rejected,
            "finished_at": datetime.now(UTC),
        },
    )
    return LoadReport(
        int(entry["load_id"]), "loaded", rows_read, loaded, rejected, layout, str(entry["sha256"])
    )
