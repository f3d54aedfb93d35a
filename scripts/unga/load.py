"""Load one UN Digital Library voting-data file into the `raw` schema of the warehouse.

A load is one DuckDB transaction: the previous release is replaced by the new one, the rows that
cannot be read go to `raw.rejected_rows` with the reason, and the load is logged in
`raw.load_log`. Loading the file already loaded changes nothing. If anything fails, the
transaction is rolled back and the warehouse holds exactly what it held before.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from unga import __version__, undl
from unga.errors import UserError
from unga.raw_tables import EXTRA_DDL

TOTAL_COLUMNS = ("total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms")

DDL = (
    """
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
create table if not exists raw.ga_votes (
    load_id integer not null,
    source_row bigint not null,
    undl_id bigint not null,
    ms_code varchar,
    ms_name varchar not null,
    ms_vote varchar not null,
    date date not null,
    session varchar,
    resolution varchar,
    draft varchar,
    committee_report varchar,
    meeting varchar,
    title varchar,
    agenda_title varchar,
    subjects varchar,
    vote_note varchar,
    total_yes varchar,
    total_no varchar,
    total_abstentions varchar,
    total_non_voting varchar,
    total_ms varchar,
    undl_link varchar
);
create table if not exists raw.rejected_rows (
    load_id integer not null,
    source_row bigint not null,
    reason varchar not null,
    record json not null
);
"""
    + EXTRA_DDL
)

# Every row gets the first reason that applies, or none; the rules are in the order checked.
CHECK_SQL = """
create temp table checked as
with first_pass as (
    select
        *,
        case
            when trim(undl_id) = '' then 'missing undl_id'
            when not regexp_full_match(trim(undl_id), '[0-9]+')
                or try_cast(trim(undl_id) as bigint) is null
                then 'undl_id is not a whole number: ' || undl_id
            when trim(ms_name) = '' then 'missing ms_name'
            when trim(ms_vote) = '' then 'missing vote code'
            when upper(trim(ms_vote)) not in ('Y', 'N', 'A', 'X')
                then 'bad vote code ' || ms_vote || ' (expected Y, N, A or X)'
            when try_strptime(trim(date), '%Y-%m-%d') is null
                then 'bad date ' || date || ' (expected YYYY-MM-DD)'
            {total_checks}
        end as reason
    from incoming
),
second_pass as (
    select
        *,
        first_value(source_row) over (
            partition by try_cast(trim(undl_id) as bigint), upper(trim(ms_name))
            order by source_row
        ) as first_row
    from first_pass
    where reason is null
)
select * exclude (first_row) replace (
    case when first_row <> source_row
        then 'duplicate of row ' || first_row || ' (same undl_id and ms_name)'
    end as reason
)
from second_pass
union all by name
select * from first_pass where reason is not null
"""

TOTAL_CHECK = """
            when trim({c}) <> '' and (
                try_cast(trim({c}) as double) is null
                or not isfinite(try_cast(trim({c}) as double))
                or try_cast(trim({c}) as double) < 0
                or try_cast(trim({c}) as double) <> floor(try_cast(trim({c}) as double))
            ) then 'bad {c} ' || {c} || ' (expected a whole number)'"""


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing, with a clear message when another process holds it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(db_path), config={"memory_limit": "1GB"})
    except duckdb.IOException as err:
        raise UserError(f"cannot open the warehouse {db_path} for writing: {err}") from None


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


def _log(con: duckdb.DuckDBPyConnection, values: dict[str, object]) -> None:
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
) -> dict[str, object]:
    """The raw.load_log values every load shares, with the next load_id."""
    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from raw.load_log").fetchone()[0]
    return {
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
    _log(
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


def log_loaded(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, object],
    *,
    layout: str,
    rows_read: int,
    tables: tuple[str, ...],
    rejected_table: str,
    what: str = "",
) -> LoadReport:
    """Check that every row read was loaded or rejected and that some were loaded, then log it.

    Runs inside the load's transaction, after the rows were written; `what` names the file in
    the message when nothing could be loaded.
    """
    loaded = sum(int(con.execute(f"select count(*) from {t}").fetchone()[0]) for t in tables)
    rejected = int(con.execute(f"select count(*) from {rejected_table}").fetchone()[0])
    if loaded + rejected != rows_read:
        raise UserError(
            f"row accounting failed: read {rows_read}, loaded {loaded}, rejected {rejected}"
        )
    if loaded == 0:
        top = con.execute(
            f"select reason, count(*) from {rejected_table} group by 1 order by 2 desc limit 1"
        ).fetchone()
        raise UserError(
            f"none of the {rows_read:,} rows{what} could be loaded "
            f"({top[1]:,} rejected as: {top[0]})"
        )
    _log(
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


def load(source_path: Path, origin: str, db_path: Path, *, force: bool = False) -> LoadReport:
    """Load `source_path` into the warehouse at `db_path` in one transaction."""
    started = datetime.now(UTC)
    size = source_path.stat().st_size
    sha = sha256_of(source_path)
    con = connect(db_path)
    try:
        con.execute(DDL)
        entry = new_log_entry(
            con,
            kind="undl",
            origin=origin,
            file_name=source_path.name,
            size=size,
            sha=sha,
            started=started,
        )
        if not force and last_loaded_sha(con, "undl", "raw.ga_votes") == sha:
            return log_unchanged(con, entry)

        print(f"reading {source_path.name} ({size / 1e6:.1f} MB)", file=sys.stderr)
        con.begin()
        try:
            result = _stage(con, source_path)
            print(
                f"read {result.rows_read:,} rows ({result.layout}); checking and loading",
                file=sys.stderr,
            )
            report = _write(con, result, entry)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    except duckdb.Error as err:
        raise UserError(f"loading into {db_path} failed: {err}") from None
    finally:
        con.close()
    return report


def stage_chunk(
    con: duckdb.DuckDBPyConnection,
    table: str,
    chunk: dict[str, list[str]],
    row_numbers: list[int],
) -> None:
    """Append rows (values by column name, all text) and their row numbers to a temp table."""
    frame = pd.DataFrame(chunk, dtype="string")
    frame.insert(0, "source_row", pd.Series(row_numbers, dtype="int64"))
    con.register("incoming_chunk", frame)
    con.execute(f"insert into {table} by name select * from incoming_chunk")
    con.unregister("incoming_chunk")


def create_text_table(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str]) -> None:
    cols = ", ".join(f'"{c}" varchar' for c in columns)
    con.execute(f"create or replace temp table {table} (source_row bigint, {cols})")


def _stage(con: duckdb.DuckDBPyConnection, source_path: Path) -> undl.ReadResult:
    """Read the file into the temporary table `incoming`, all values as text."""
    create_text_table(con, "incoming", undl.COLUMNS_WITH_NOTE)
    return undl.read(source_path, lambda chunk, rows: stage_chunk(con, "incoming", chunk, rows))


def _write(
    con: duckdb.DuckDBPyConnection, result: undl.ReadResult, entry: dict[str, object]
) -> LoadReport:
    """Check the staged rows and replace the previous release (inside the caller's transaction)."""
    load_id = int(entry["load_id"])
    total_checks = "".join(TOTAL_CHECK.format(c=c) for c in TOTAL_COLUMNS)
    con.execute(CHECK_SQL.format(total_checks=total_checks))
    con.execute("delete from raw.ga_votes")
    con.execute("delete from raw.rejected_rows")
    con.execute(
        """
        insert into raw.ga_votes
        select
            ? as load_id,
            source_row,
            cast(trim(undl_id) as bigint) as undl_id,
            nullif(trim(ms_code), '') as ms_code,
            ms_name,
            ms_vote,
            cast(strptime(trim(date), '%Y-%m-%d') as date) as date,
            session, resolution, draft, committee_report, meeting, title, agenda_title,
            subjects, vote_note, total_yes, total_no, total_abstentions, total_non_voting,
            total_ms, undl_link
        from checked
        where reason is null
        order by source_row
        """,
        [load_id],
    )
    con.execute(
        """
        insert into raw.rejected_rows
        select ?, source_row, reason, to_json(checked) :: json
        from (select * exclude (reason) from checked where reason is not null) as checked
        join (select source_row, reason from checked where reason is not null) as r
            using (source_row)
        """,
        [load_id],
    )
    if result.malformed:
        con.executemany(
            "insert into raw.rejected_rows values (?, ?, ?, ?)",
            [
                (load_id, row, reason, json.dumps(fields))
                for row, reason, fields in result.malformed
            ],
        )
    report = log_loaded(
        con,
        entry,
        layout=result.layout,
        rows_read=result.rows_read,
        tables=("raw.ga_votes",),
        rejected_table="raw.rejected_rows",
    )
    con.execute("drop table checked")
    con.execute("drop table incoming")
    return report
