"""Read Erik Voeten's roll-call data in his own Harvard Dataverse layout (UNVotes.csv).

One row per country and roll call, the roll call's attributes repeated on every row: rcid,
ccode (Correlates of War country number), member, vote (1 yes, 2 abstain, 3 no, 8 absent,
9 not a member), session, date, unres, importantvote, amend, para, short, descr and the issue
flags me, nu, di, hr, co, ec (1 when the roll call is on the issue), plus Country / Countryname.
Columns are found by name, in any order; other columns of the file are not loaded (their names
are printed). R writes missing values as NA: they are read as blank.
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

LAYOUT = "voeten-dataverse"
ISSUES = ("me", "nu", "di", "hr", "co", "ec")
COLUMNS: tuple[str, ...] = (
    "rcid",
    "ccode",
    "member",
    "vote",
    "session",
    "date",
    "unres",
    "importantvote",
    "amend",
    "para",
    "short",
    "descr",
    *ISSUES,
    "country",
    "countryname",
)
REQUIRED = ("rcid", "ccode", "vote", "date")
VOTE_CODES = ("1", "2", "3", "8", "9")


def input_files(source: Path) -> list[Path]:
    if not source.is_file():
        raise UserError(f"{source} is not a file: the Voeten source is his UNVotes.csv (or .gz)")
    return [source]


def stage(con: duckdb.DuckDBPyConnection, source: Path) -> Staged:
    """Read the file into the temp table incoming_voeten, all values as text."""
    create_text_table(con, "incoming_voeten", COLUMNS)

    def append(chunk: dict[str, list[str]], rows: list[int]) -> None:
        stage_chunk(con, "incoming_voeten", chunk, rows)

    result = read_csv(source, COLUMNS, REQUIRED, append, what="Voeten's UNVotes.csv")
    if result.ignored_columns:
        print(
            f"{source.name}: column(s) not loaded: " + ", ".join(result.ignored_columns),
            file=sys.stderr,
        )
    if result.rows_read == 0:
        raise UserError(f"{source.name} has a header but no vote rows")
    stage_malformed(con, "incoming_malformed", result.malformed)
    return Staged(LAYOUT, result.rows_read, {"voeten": source.name})


def _code(column: str) -> str:
    return f"cast(cast(trim({column}) as double) as integer)"


def write(con: duckdb.DuckDBPyConnection, load_id: int, staged: Staged) -> None:
    """Check the staged rows and write them (inside the caller's transaction)."""
    flags = " or ".join(
        f"not ({blank(c)} or trim({c}) in ('0', '1'))"
        for c in ("member", "importantvote", "amend", "para", *ISSUES)
    )
    codes = ", ".join(f"'{c}'" for c in VOTE_CODES)
    write_checked(
        con,
        load_id=load_id,
        incoming="incoming_voeten",
        columns=COLUMNS,
        reasons=f"""
            when {blank("rcid")} then 'missing rcid'
            when not {whole_number("rcid")} then 'rcid is not a whole number: ' || rcid
            when {blank("ccode")} then 'missing ccode'
            when not {whole_number("ccode")} then 'ccode is not a whole number: ' || ccode
            when {blank("vote")} then 'missing vote'
            when not {whole_number("vote")}
                or cast(try_cast(try_cast(trim(vote) as double) as integer) as varchar)
                not in ({codes})
                then 'bad vote ' || vote || ' (expected 1 yes, 2 abstain, 3 no, 8 absent or 9 '
                    || 'not a member)'
            when {blank("date")} then 'missing date'
            when {iso_date("date")} is null then 'bad date ' || date || ' (expected YYYY-MM-DD)'
            when {flags}
                then 'bad member, importantvote, amend, para or issue flag (expected 0, 1 or '
                    || 'blank)'""",
        key=f"cast(cast(trim(rcid) as double) as bigint), {_code('ccode')}",
        key_label="same rcid and ccode",
        insert_sql=f"""
            insert into raw.voeten_votes
            select
                ?, source_row, cast(cast(trim(rcid) as double) as bigint), {_code("ccode")},
                {text("member")}, cast({_code("vote")} as varchar), {text("session")},
                {iso_date("date")}, {text("unres")}, {text("importantvote")}, {text("amend")},
                {text("para")}, {text("short")}, {text("descr")},
                {", ".join(text(c) for c in ISSUES)},
                {text("country")}, {text("countryname")}
            from checked where reason is null order by source_row
        """,
        rejected_table="raw.voeten_rejected_rows",
        file_name=staged.files["voeten"],
    )
    write_malformed(con, load_id, "incoming_malformed", "raw.voeten_rejected_rows")
    con.execute("drop table incoming_voeten")


KIND = SourceKind(
    name="voeten",
    label="Voeten (Dataverse layout)",
    tables=("raw.voeten_votes",),
    rejected_table="raw.voeten_rejected_rows",
    stage=stage,
    write=write,
    input_files=input_files,
)
