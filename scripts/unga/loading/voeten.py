"""Erik Voeten's roll-call data in his own Harvard Dataverse layout (UNVotes.csv).

One row per country and roll call, the roll call's attributes repeated on every row: rcid,
ccode (Correlates of War country number), member, vote (1 yes, 2 abstain, 3 no, 8 absent,
9 not a member), session, date, unres, importantvote, amend, para, short, descr and the issue
flags me, nu, di, hr, co, ec (1 when the roll call is on the issue), plus Country / Countryname.
Columns are found by name, in any order; other columns of the file are not loaded (their names
are printed). R writes missing values as NA: they are read as blank.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from unga.errors import UserError
from unga.loading.core import csvfile
from unga.loading.core.checks import blank, iso_date, text, whole_number, write_checked
from unga.loading.core.transaction import SourceKind, Staged

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
INCOMING = "incoming_voeten"

DDL = f"""
create table if not exists raw.voeten_votes (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    ccode integer not null,
    member varchar,
    vote varchar not null,
    session varchar,
    date date not null,
    unres varchar,
    importantvote varchar,
    amend varchar,
    para varchar,
    short varchar,
    descr varchar,
    {", ".join(f"{c} varchar" for c in ISSUES)},
    country varchar,
    countryname varchar
);
create table if not exists raw.voeten_rejected_rows (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    reason varchar not null,
    record json not null
);
"""


def _code(column: str) -> str:
    return f"cast(cast(trim({column}) as double) as integer)"


FLAGS = " or ".join(
    f"not ({blank(c)} or trim({c}) in ('0', '1'))"
    for c in ("member", "importantvote", "amend", "para", *ISSUES)
)
REASONS = f"""
            when {blank("rcid")} then 'missing rcid'
            when not {whole_number("rcid")} then 'rcid is not a whole number: ' || rcid
            when {blank("ccode")} then 'missing ccode'
            when not {whole_number("ccode")} then 'ccode is not a whole number: ' || ccode
            when {blank("vote")} then 'missing vote'
            when not {whole_number("vote")}
                or cast(try_cast(try_cast(trim(vote) as double) as integer) as varchar)
                not in ({", ".join(f"'{c}'" for c in VOTE_CODES)})
                then 'bad vote ' || vote || ' (expected 1 yes, 2 abstain, 3 no, 8 absent or 9 '
                    || 'not a member)'
            when {blank("date")} then 'missing date'
            when {iso_date("date")} is null then 'bad date ' || date || ' (expected YYYY-MM-DD)'
            when {FLAGS}
                then 'bad member, importantvote, amend, para or issue flag (expected 0, 1 or '
                    || 'blank)'"""
INSERT = f"""
insert into raw.voeten_votes
select
    ?, source_row, cast(cast(trim(rcid) as double) as bigint), {_code("ccode")},
    {text("member")}, cast({_code("vote")} as varchar), {text("session")},
    {iso_date("date")}, {text("unres")}, {text("importantvote")}, {text("amend")},
    {text("para")}, {text("short")}, {text("descr")},
    {", ".join(text(c) for c in ISSUES)},
    {text("country")}, {text("countryname")}
from accepted
"""


def input_files(source: Path) -> list[Path]:
    if not source.is_file():
        raise UserError(f"{source} is not a file: the Voeten source is his UNVotes.csv (or .gz)")
    return [source]


def stage(con: duckdb.DuckDBPyConnection, source: Path) -> Staged:
    """Read the file into the temporary view incoming_voeten, all values as text."""
    rows_read = csvfile.stage_by_name(
        con, source, columns=COLUMNS, required=REQUIRED, table=INCOMING, what="Voeten's UNVotes.csv"
    )
    if rows_read == 0:
        raise UserError(f"{source.name} has a header but no vote rows")
    return Staged(LAYOUT, rows_read, {"voeten": source.name})


def write(con: duckdb.DuckDBPyConnection, load_id: int, staged: Staged) -> None:
    """Check the staged rows and write them (inside the caller's transaction)."""
    write_checked(
        con,
        load_id=load_id,
        incoming=INCOMING,
        columns=COLUMNS,
        reasons=REASONS,
        key=f"cast(cast(trim(rcid) as double) as bigint), {_code('ccode')}",
        key_label="same rcid and ccode",
        insert_sql=INSERT,
        rejected_table="raw.voeten_rejected_rows",
        file_name=staged.files["voeten"],
    )


KIND = SourceKind(
    name="voeten",
    label="Voeten (Dataverse layout)",
    env_var="UNGA_VOETEN_CSV",
    source_noun="voeten source",
    accepts_url=True,
    required=False,
    tables=("raw.voeten_votes",),
    rejected_table="raw.voeten_rejected_rows",
    ddl=DDL,
    input_files=input_files,
    stage=stage,
    write=write,
)
