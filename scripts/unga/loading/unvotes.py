"""Erik Voeten's roll-call data as packaged by the R package `unvotes` (TidyTuesday layout).

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
from unga.loading.core import csvfile
from unga.loading.core.checks import blank, iso_date, text, whole_number, write_checked
from unga.loading.core.transaction import SourceKind, Staged

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

DDL = """
create table if not exists raw.unvotes_votes (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    country varchar not null,
    country_code varchar,
    vote varchar not null
);
create table if not exists raw.unvotes_roll_calls (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    session varchar,
    importantvote varchar,
    date date not null,
    unres varchar,
    amend varchar,
    para varchar,
    short varchar,
    descr varchar
);
create table if not exists raw.unvotes_issues (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    short_name varchar not null,
    issue varchar
);
create table if not exists raw.unvotes_rejected_rows (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    reason varchar not null,
    record json not null
);
"""

RCID = "cast(cast(trim(rcid) as double) as bigint)"
RCID_REASONS = f"""
            when {blank("rcid")} then 'missing rcid'
            when not {whole_number("rcid")} then 'rcid is not a whole number: ' || rcid"""
FLAGS = " or ".join(
    f"not ({blank(c)} or trim({c}) in ('0', '1'))" for c in ("importantvote", "amend", "para")
)

# file stem -> (reasons after the rcid's, duplicate key, its label, insert)
CHECKS: dict[str, tuple[str, str, str, str]] = {
    "unvotes": (
        f"""
            when {blank("country")} then 'missing country'
            when {blank("vote")} then 'missing vote'
            when lower(trim(vote)) not in ('yes', 'no', 'abstain')
                then 'bad vote ' || vote || ' (expected yes, no or abstain)'""",
        f"{RCID}, lower(trim(country))",
        "same rcid and country",
        # Namibia's ISO code is NA: here only a blank code is missing.
        f"""
        insert into raw.unvotes_votes
        select ?, source_row, {RCID}, country, nullif(trim(country_code), ''), vote
        from accepted
        """,
    ),
    "roll_calls": (
        f"""
            when {blank("date")} then 'missing date'
            when {iso_date("date")} is null then 'bad date ' || date || ' (expected YYYY-MM-DD)'
            when not {blank("session")} and not {whole_number("session")}
                then 'bad session ' || session || ' (expected a whole number)'
            when {FLAGS}
                then 'bad importantvote, amend or para (expected 0, 1 or blank)'""",
        RCID,
        "same rcid",
        f"""
        insert into raw.unvotes_roll_calls
        select
            ?, source_row, {RCID}, {text("session")}, {text("importantvote")},
            {iso_date("date")}, {text("unres")}, {text("amend")}, {text("para")},
            {text("short")}, {text("descr")}
        from accepted
        """,
    ),
    "issues": (
        f"""
            when {blank("short_name")} then 'missing short_name (the issue code)'""",
        f"{RCID}, lower(trim(short_name))",
        "same rcid and issue code",
        f"""
        insert into raw.unvotes_issues
        select ?, source_row, {RCID}, short_name, {text("issue")}
        from accepted
        """,
    ),
}


def _find(folder: Path, stem: str) -> Path | None:
    for name in (f"{stem}.csv.gz", f"{stem}.csv"):
        if (folder / name).is_file():
            return folder / name
    return None


def input_files(source: Path) -> list[Path]:
    """The files of the folder that make up the source (issues.csv may be absent)."""
    if not source.exists():
        raise UserError(f"the source {source} does not exist")
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
    """Read the files of the folder into temporary views incoming_<stem>, all values as text."""
    staged = Staged(LAYOUT)
    for stem, (columns, required) in FILES.items():
        path = _find(source, stem)
        if path is None:
            print(f"{source} has no issues.csv: no issue codes loaded", file=sys.stderr)
            continue
        staged.rows_read += csvfile.stage_by_name(
            con,
            path,
            columns=columns,
            required=required,
            table=f"incoming_{stem}",
            what=f"the unvotes file {stem}.csv",
        )
        staged.files[stem] = path.name
    return staged


def write(con: duckdb.DuckDBPyConnection, load_id: int, staged: Staged) -> None:
    """Check the staged rows and write them (inside the caller's transaction)."""
    for stem, (reasons, key, key_label, insert_sql) in CHECKS.items():
        if stem not in staged.files:
            continue
        write_checked(
            con,
            load_id=load_id,
            incoming=f"incoming_{stem}",
            columns=FILES[stem][0],
            reasons=RCID_REASONS + reasons,
            key=key,
            key_label=key_label,
            insert_sql=insert_sql,
            rejected_table="raw.unvotes_rejected_rows",
            file_name=staged.files[stem],
        )


KIND = SourceKind(
    name="unvotes",
    label="unvotes (Voeten, TidyTuesday layout)",
    env_var="UNGA_UNVOTES_DIR",
    source_noun="unvotes source",
    accepts_url=False,
    required=False,
    tables=("raw.unvotes_votes", "raw.unvotes_roll_calls", "raw.unvotes_issues"),
    rejected_table="raw.unvotes_rejected_rows",
    ddl=DDL,
    input_files=input_files,
    stage=stage,
    write=write,
)
