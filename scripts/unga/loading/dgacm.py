"""The DGACM resolution extracts (`data_extract/*.json`, one JSON object per line).

Each line is one resolution: symbol, title, session, adoption_date (written `22 September 2021`,
with a no-break space in some files, or `2019-12-18 00:00:00`), adoption_type (`By a recorded
vote`, `Without a vote`), the official counts MS_in_favour_count / MS_against_count /
MS_abstaining_count (whole numbers or `N.A.`), the lists of states in favour / against /
abstaining, UNBIS subjects (pairs [term, thesaurus]), sponsors and more. The source is a folder of
such files (or one file). Lines are loaded into raw.dgacm_resolutions with the whole record as
read; lines that fail a check go to raw.dgacm_rejected_rows with the file, the line and the
reason. A line identical to an earlier one is rejected as a duplicate; lines that share a symbol
but differ (the files have some) are all kept.

The lines are parsed and checked in Python, not with DuckDB's `read_json`: that reader has no
rejects table, so a line that is not JSON would be skipped (`ignore_errors`) or stop the load,
never set aside with its number, its text and the parser's reason. The checked records go to
DuckDB column by column, in one statement.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from unga.errors import UserError
from unga.loading.core.checks import MALFORMED
from unga.loading.core.transaction import SourceKind, Staged

LAYOUT = "dgacm-data-extract"
TEXT_FIELDS = (
    "symbol",
    "resolution_number",
    "title",
    "session",
    "adoption_meeting",
    "adoption_type",
    "voting_type",
    "originating_document",
    "committee",
    "agenda_item",
    "agenda_item_name",
    "pv",
)
COUNT_FIELDS = ("MS_in_favour_count", "MS_against_count", "MS_abstaining_count")
VOTE_LISTS = ("MS_in_favour", "MS_against", "MS_abstaining")
OTHER_LISTS = ("sponsors", "additional_sponsors", "SDGs")
DATE_FORMATS = ("%d %B %Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
INCOMING = "incoming_dgacm"

DDL = """
create table if not exists raw.dgacm_resolutions (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    symbol varchar not null,
    resolution_number varchar,
    title varchar,
    session varchar,
    adoption_meeting varchar,
    adoption_date date not null,
    adoption_date_text varchar not null,
    adoption_type varchar,
    voting_type varchar,
    originating_document varchar,
    committee varchar,
    agenda_item varchar,
    agenda_item_name varchar,
    ms_in_favour_count varchar,
    ms_against_count varchar,
    ms_abstaining_count varchar,
    pv varchar,
    ms_in_favour varchar[] not null,
    ms_against varchar[] not null,
    ms_abstaining varchar[] not null,
    sponsors varchar[],
    additional_sponsors varchar[],
    sdgs varchar[],
    subjects varchar[],
    record json not null
);
create table if not exists raw.dgacm_rejected_rows (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    reason varchar not null,
    record json not null
);
"""


# The columns of raw.dgacm_resolutions after load_id, as staged from each record (the lists as
# JSON text, which DuckDB takes in far faster than Python lists).
LISTS = (*(f.lower() for f in (*VOTE_LISTS, *OTHER_LISTS)), "subjects")
COLUMNS: dict[str, str] = {
    "source_file": "varchar",
    "source_row": "bigint",
    **{f.lower(): "varchar" for f in TEXT_FIELDS[:5]},
    "adoption_date": "date",
    "adoption_date_text": "varchar",
    **{f.lower(): "varchar" for f in TEXT_FIELDS[5:11]},
    **{f.lower(): "varchar" for f in COUNT_FIELDS},
    "pv": "varchar",
    **{name: "json" for name in LISTS},
    "record": "json",
}


def input_files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.suffix in {".json", ".jsonl"})
        if not files:
            raise UserError(f"the folder {source} holds no .json files of DGACM extracts")
        return files
    raise UserError(f"the DGACM source {source} does not exist")


def parse_date(value: object) -> date | None:
    """The adoption date, from `22 September 2021` (any spaces) or `2019-12-18 00:00:00`."""
    if not isinstance(value, str):
        return None
    return _parse_date_text(value)


@functools.lru_cache(maxsize=4096)
def _parse_date_text(value: str) -> date | None:
    cleaned = re.sub(r"\s+", " ", value.replace("\xa0", " ")).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def _is_names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def check(record: object) -> str | None:
    """The first reason the record cannot be loaded, or None."""
    if not isinstance(record, dict):
        return "not a JSON object"
    symbol = record.get("symbol")
    if not isinstance(symbol, str) or not symbol.strip():
        return "missing symbol"
    if parse_date(record.get("adoption_date")) is None:
        return (
            f"bad adoption_date {record.get('adoption_date')!r} (expected e.g. 22 September 2021)"
        )
    for name in COUNT_FIELDS:
        value = record.get(name, "")
        if isinstance(value, bool) or not isinstance(value, str | int):
            return f"bad {name} {value!r} (expected a whole number or N.A.)"
        if isinstance(value, str) and value.strip() not in ("", "N.A.") and not value.isdigit():
            return f"bad {name} {value!r} (expected a whole number or N.A.)"
    for name in (*VOTE_LISTS, *OTHER_LISTS):
        if name in record and not _is_names(record[name]):
            return f"{name} is not a list of names"
    subjects = record.get("subjects", [])
    if not isinstance(subjects, list) or not all(
        isinstance(s, str) or (isinstance(s, list) and s and isinstance(s[0], str))
        for s in subjects
    ):
        return "subjects is not a list of [term, thesaurus] pairs"
    for name in TEXT_FIELDS:
        if name in record and record[name] is not None and not isinstance(record[name], str):
            return f"{name} is not text"
    return None


def _read_lines(path: Path) -> list[str]:
    """The lines of the file (split at \\n, \\r\\n or \\r; a last line may lack its newline)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            lines = handle.read().split("\n")
        if lines[-1] == "":
            lines.pop()
        return lines
    except UnicodeDecodeError as err:
        raise UserError(
            f"{path.name} is not UTF-8 text ({err.reason} at byte {err.start})"
        ) from None
    except OSError as err:
        raise UserError(f"reading {path} failed: {err.strerror or err}") from None


def stage(con: duckdb.DuckDBPyConnection, source: Path) -> Staged:
    """Read and check every line of every file; stage the good records in incoming_dgacm."""
    staged = Staged(LAYOUT)
    good: list[tuple[object, ...]] = []
    rejected: list[tuple[str, int, str, str]] = []
    seen: dict[str, str] = {}
    for path in input_files(source):
        for line_no, raw in enumerate(_read_lines(path), start=1):
            staged.rows_read += 1
            reason, record = _verdict(raw, seen, f"{path.name} line {line_no}")
            if reason is None:
                good.append(_row(path.name, line_no, record))
            else:
                rejected.append((path.name, line_no, reason, json.dumps(record)))
        staged.files[path.name] = path.name
    if staged.rows_read == 0:
        raise UserError(f"the DGACM source {source} holds no lines")
    columns = ", ".join(f"{name} {type_}" for name, type_ in COLUMNS.items())
    con.execute(f"create or replace temp table {INCOMING} ({columns})")
    _insert_columns(con, INCOMING, good)
    _insert_columns(con, MALFORMED, rejected)
    return staged


def _row(file_name: str, line_no: int, record: dict[str, Any]) -> tuple[object, ...]:
    """The values of a checked record, in the order of COLUMNS."""
    subjects = record.get("subjects", [])
    return (
        file_name,
        line_no,
        *(record.get(name) for name in TEXT_FIELDS[:5]),
        parse_date(record["adoption_date"]),
        record["adoption_date"],
        *(record.get(name) for name in TEXT_FIELDS[5:11]),
        *(None if record.get(n) is None else str(record[n]) for n in COUNT_FIELDS),
        record.get("pv"),
        *(json.dumps(record.get(name, [])) for name in (*VOTE_LISTS, *OTHER_LISTS)),
        json.dumps([s if isinstance(s, str) else s[0] for s in subjects]),
        json.dumps(record, ensure_ascii=False),
    )


def _verdict(raw: str, seen: dict[str, str], where: str) -> tuple[str | None, Any]:
    """The reason a line cannot be loaded (or None) and what was read from it."""
    if not raw.strip():
        return "empty line", raw
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as err:
        return f"not valid JSON: {err.msg}", raw
    reason = check(record)
    if reason is None:
        canonical = json.dumps(record, sort_keys=True)
        if canonical in seen:
            return f"duplicate of {seen[canonical]} (identical record)", record
        seen[canonical] = where
    return reason, record


def _insert_columns(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Append rows to a temporary table in one statement, column by column."""
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    unnests = ", ".join("unnest(?)" for _ in columns)
    con.execute(f"insert into {table} select {unnests}", columns)


def write(con: duckdb.DuckDBPyConnection, load_id: int, staged: Staged) -> None:
    """Write the staged records (inside the caller's transaction); rejected lines are in
    malformed_rows, which the load moves to raw.dgacm_rejected_rows."""
    con.execute(
        f"""
        insert into raw.dgacm_resolutions by name
        select
            ? as load_id,
            * replace ({", ".join(f"cast({name} as varchar[]) as {name}" for name in LISTS)})
        from {INCOMING}
        order by source_file, source_row
        """,
        [load_id],
    )


KIND = SourceKind(
    name="dgacm",
    label="DGACM resolution extracts",
    env_var="UNGA_DGACM_DIR",
    source_noun="dgacm source",
    accepts_url=False,
    required=False,
    tables=("raw.dgacm_resolutions",),
    rejected_table="raw.dgacm_rejected_rows",
    ddl=DDL,
    input_files=input_files,
    stage=stage,
    write=write,
)
