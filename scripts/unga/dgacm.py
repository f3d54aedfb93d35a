"""Read the DGACM resolution extracts (`data_extract/*.json`, one JSON object per line).

Each line is one resolution: symbol, title, session, adoption_date (written `22 September 2021`,
with a no-break space in some files, or `2019-12-18 00:00:00`), adoption_type (`By a recorded
vote`, `Without a vote`), the official counts MS_in_favour_count / MS_against_count /
MS_abstaining_count (whole numbers or `N.A.`), the lists of states in favour / against /
abstaining, UNBIS subjects (pairs [term, thesaurus]), sponsors and more. The source is a folder of
such files (or one file). Lines are loaded into raw.dgacm_resolutions with the whole record as
read; lines that fail a check go to raw.dgacm_rejected_rows with the file, the line and the
reason. A line identical to an earlier one is rejected as a duplicate; lines that share a symbol
but differ (the files have some) are all kept.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from unga.errors import UserError
from unga.sources import SourceKind, Staged, stage_malformed, write_malformed

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
COLUMNS = (
    "source_file",
    "source_row",
    *(f.lower() for f in TEXT_FIELDS),
    "adoption_date",
    "adoption_date_text",
    *(f.lower() for f in COUNT_FIELDS),
    *(f.lower() for f in VOTE_LISTS),
    *(f.lower() for f in OTHER_LISTS),
    "subjects",
    "record",
)


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


def _row(file_name: str, line_no: int, record: dict[str, Any]) -> dict[str, object]:
    row: dict[str, object] = {"source_file": file_name, "source_row": line_no}
    for name in TEXT_FIELDS:
        row[name.lower()] = record.get(name)
    row["adoption_date"] = parse_date(record["adoption_date"])
    row["adoption_date_text"] = record["adoption_date"]
    for name in COUNT_FIELDS:
        value = record.get(name)
        row[name.lower()] = None if value is None else str(value)
    for name in (*VOTE_LISTS, *OTHER_LISTS):
        row[name.lower()] = json.dumps(record.get(name, []))
    row["subjects"] = json.dumps(
        [s if isinstance(s, str) else s[0] for s in record.get("subjects", [])]
    )
    row["record"] = json.dumps(record, ensure_ascii=False)
    return row


def stage(con: duckdb.DuckDBPyConnection, source: Path) -> Staged:
    """Read every line of every file; keep the good records in incoming_dgacm."""
    staged = Staged(LAYOUT)
    rows: list[dict[str, object]] = []
    rejected: list[tuple[str, int, str, object]] = []
    seen: dict[str, str] = {}
    for path in input_files(source):
        try:
            with path.open(encoding="utf-8-sig") as handle:
                for line_no, line in enumerate(handle, start=1):
                    staged.rows_read += 1
                    raw = line.rstrip("\r\n")
                    if not raw.strip():
                        rejected.append((path.name, line_no, "empty line", raw))
                        continue
                    try:
                        record = json.loads(raw)
                    except json.JSONDecodeError as err:
                        rejected.append((path.name, line_no, f"not valid JSON: {err.msg}", raw))
                        continue
                    reason = check(record)
                    if reason is None:
                        canonical = json.dumps(record, sort_keys=True)
                        if canonical in seen:
                            reason = f"duplicate of {seen[canonical]} (identical record)"
                        else:
                            seen[canonical] = f"{path.name} line {line_no}"
                    if reason is not None:
                        rejected.append((path.name, line_no, reason, record))
                        continue
                    rows.append(_row(path.name, line_no, record))
        except UnicodeDecodeError as err:
            raise UserError(
                f"{path.name} is not UTF-8 text ({err.reason} at byte {err.start})"
            ) from None
        except OSError as err:
            raise UserError(f"reading {path} failed: {err.strerror or err}") from None
        staged.files[path.name] = path.name
    if staged.rows_read == 0:
        raise UserError(f"the DGACM source {source} holds no lines")
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["source_row"] = frame["source_row"].astype("int64")
    for column in COLUMNS:
        if column not in ("source_row", "adoption_date"):
            frame[column] = frame[column].astype("string")
    frame["adoption_date"] = pd.to_datetime(frame["adoption_date"])
    con.register("incoming_dgacm_frame", frame)
    con.execute("create or replace temp table incoming_dgacm as select * from incoming_dgacm_frame")
    con.unregister("incoming_dgacm_frame")
    stage_malformed(con, "incoming_malformed", rejected)
    return staged


LIST = "cast(cast({c} as json) as varchar[])"


def write(con: duckdb.DuckDBPyConnection, load_id: int, staged: Staged) -> None:
    """Write the staged records and the rejected lines (inside the caller's transaction)."""
    lists = ", ".join(LIST.format(c=c) for c in ("ms_in_favour", "ms_against", "ms_abstaining"))
    others = ", ".join(
        LIST.format(c=c) for c in ("sponsors", "additional_sponsors", "sdgs", "subjects")
    )
    con.execute(
        f"""
        insert into raw.dgacm_resolutions
        select
            ?, source_file, source_row, symbol, resolution_number, title, session,
            adoption_meeting, cast(adoption_date as date), adoption_date_text, adoption_type,
            voting_type, originating_document, committee, agenda_item, agenda_item_name,
            ms_in_favour_count, ms_against_count, ms_abstaining_count, pv,
            {lists}, {others}, cast(record as json)
        from incoming_dgacm
        order by source_file, source_row
        """,
        [load_id],
    )
    write_malformed(con, load_id, "incoming_malformed", "raw.dgacm_rejected_rows")
    con.execute("drop table incoming_dgacm")


KIND = SourceKind(
    name="dgacm",
    label="DGACM resolution extracts",
    tables=("raw.dgacm_resolutions",),
    rejected_table="raw.dgacm_rejected_rows",
    stage=stage,
    write=write,
    input_files=input_files,
)
