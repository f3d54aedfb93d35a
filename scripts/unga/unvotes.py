"""Read Erik Voeten's roll-call data as packaged by the R package `unvotes` (TidyTuesday layout).

The source is a folder holding three CSV files, plain or gzip-compressed:
`unvotes.csv` (rcid, country, country_code, vote: yes / no / abstain), `roll_calls.csv` (rcid,
session, importantvote, date, unres, amend, para, short, descr) and, optionally, `issues.csv`
(rcid, short_name, issue: Voeten's six issue codes). They are loaded into raw.unvotes_votes,
raw.unvotes_roll_calls and raw.unvotes_issues; rows that fail a check go to
raw.unvotes_rejected_rows with the file, the row number and the reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from unga.errors import UserError
from unga.load import create_text_table, stage_chunk
from unga.sources import (
    SourceKind,
    Staged,
    blank,
    iso_date,
    read_csv,
    stage_malformed,
    text,
    whole_number,
    write_checked,
    write_malformed,
)

LAYOUT = "unvotes-tidytuesday-2021"

# file stem -> (columns kept, columns required)
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "unvotes": (("rcid", "country", "country_code", "vote"), ("rcid", "country", "vote")),
    "roll_calls": (
        ("rcid", "session", "importantvote", "date", "unres", "amend", "para", "short", "descr"),
        ("rcid", "date", "unres"),
    ),
    "issues": (("rcid", "short_name", "issue"), ("rcid", "short_name")),
}
OPTIONAL_FILES = ("issues",)


def _find(folder: Path, stem: str) -> Path | None:
    for name in (f"{stem}.csv.gz", f"{stem}.csv"):
        if (folder / name).is_file():
            return folder / name
    return None


def input_files(source: Path) -> list[Path]:
    """The files of the folder that make up the source (issues.csv may be absent)."""
    if not source.is_dir():
        raise UserError(
            f"{source} is not a folder: the unvotes source is the folder holding unvotes.csv, "
            "roll_calls.csv and issues.csv (plain or .gz)"
        )
    found = {stem: _find(source, stem) for stem in FILES}
    missing = [f"{s}.csv" for s, p in found.items() if p is None and s not in OPTIONAL_FILES]
    if missing:
        raise UserError(f"the folder {source} has no " + " and no ".join(missing) + " (or .gz)")
    return [p for p in found.values() if p is not None]


def stage(con: duckdb.DuckDBPyConnection, source: Path) -> Staged:
    """Read the files of the folder into temp tables incoming_<stem>, all values as text."""
    staged = Staged(LAYOUT)
    malformed: list[tuple[str, int, str, object]] = []
    files = {stem: _find(source, stem) for stem in FILES}
    for stem, (columns, required) in FILES.items():
        table = f"incoming_{stem}"
        create_text_table(con, table, columns)
        path = files[stem]
        if path is None:
            print(f"{source} has no issues.csv: no issue codes loaded", file=sys.stderr)
            continue

        def append(chunk: dict[str, list[str]], rows: list[int], table: str = table) -> None:
            stage_chunk(con, table, chunk, rows)

        result = read_csv(path, columns, required, append, what=f"the unvotes file {stem}.csv")
        if result.ignored_columns:
            print(
                f"{path.name}: column(s) not loaded: " + ", ".join(result.ignored_columns),
                file=sys.stderr,
            )
        staged.rows_read += result.rows_read
        staged.files[stem] = path.name
        malformed.extend(result.malformed)
    stage_malformed(con, "incoming_malformed", malformed)
    return staged


def _rcid_checks() -> str:
    return f"""
            when {blank("rcid")} then 'missing rcid'
            when not {whole_number("rcid")} then 'rcid is not a whole number: ' || rcid"""


RCID = "cast(cast(trim(rcid) as double) as bigint)"


def write(con: duckdb.DuckDBPyConnection, load_id: int, staged: Staged) -> None:
    """Check the staged rows and write them (inside the caller's transaction)."""
    file_names = staged.files
    write_checked(
        con,
        load_id=load_id,
        incoming="incoming_unvotes",
        columns=FILES["unvotes"][0],
        reasons=_rcid_checks()
        + f"""
            when {blank("country")} then 'missing country'
            when {blank("vote")} then 'missing vote'
            when lower(trim(vote)) not in ('yes', 'no', 'abstain')
                then 'bad vote ' || vote || ' (expected yes, no or abstain)'""",
        key=f"{RCID}, lower(trim(country))",
        key_label="same rcid and country",
        # Namibia's ISO code is NA: here only a blank code is missing.
        insert_sql=f"""
            insert into raw.unvotes_votes
            select ?, source_row, {RCID}, country, nullif(trim(country_code), ''), vote
            from checked where reason is null order by source_row
        """,
        rejected_table="raw.unvotes_rejected_rows",
        file_name=file_names.get("unvotes", "unvotes.csv"),
    )
    flags = " or ".join(
        f"not ({blank(c)} or trim({c}) in ('0', '1'))" for c in ("importantvote", "amend", "para")
    )
    write_checked(
        con,
        load_id=load_id,
        incoming="incoming_roll_calls",
        columns=FILES["roll_calls"][0],
        reasons=_rcid_checks()
        + f"""
            when {blank("date")} then 'missing date'
            when {iso_date("date")} is null then 'bad date ' || date || ' (expected YYYY-MM-DD)'
            when not {blank("session")} and not {whole_number("session")}
                then 'bad session ' || session || ' (expected a whole number)'
            when {flags}
                then 'bad importantvote, amend or para (expected 0, 1 or blank)'""",
        key=RCID,
        key_label="same rcid",
        insert_sql=f"""
            insert into raw.unvotes_roll_calls
            select
                ?, source_row, {RCID}, {text("session")}, {text("importantvote")},
                {iso_date("date")}, {text("unres")}, {text("amend")}, {text("para")},
                {text("short")}, {text("descr")}
            from checked where reason is null order by source_row
        """,
        rejected_table="raw.unvotes_rejected_rows",
        file_name=file_names.get("roll_calls", "roll_calls.csv"),
    )
    write_checked(
        con,
        load_id=load_id,
        incoming="incoming_issues",
        columns=FILES["issues"][0],
        reasons=_rcid_checks()
        + f"""
            when {blank("short_name")} then 'missing short_name (the issue code)'""",
        key=f"{RCID}, lower(trim(short_name))",
        key_label="same rcid and issue code",
        insert_sql=f"""
            insert into raw.unvotes_issues
            select ?, source_row, {RCID}, short_name, {text("issue")}
            from checked where reason is null order by source_row
        """,
        rejected_table="raw.unvotes_rejected_rows",
        file_name=file_names.get("issues", "issues.csv"),
    )
    write_malformed(con, load_id, "incoming_malformed", "raw.unvotes_rejected_rows")
    for stem in FILES:
        con.execute(f"drop table incoming_{stem}")


KIND = SourceKind(
    name="unvotes",
    label="unvotes (Voeten, TidyTuesday layout)",
    tables=("raw.unvotes_votes", "raw.unvotes_roll_calls", "raw.unvotes_issues"),
    rejected_table="raw.unvotes_rejected_rows",
    stage=stage,
    write=write,
    input_files=input_files,
)
