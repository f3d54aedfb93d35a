"""The UN Digital Library bulk file "General Assembly Voting Data" (record 4060887).

The file is CSV, plain or gzip-compressed, in one of two header layouts: the current one with a
`vote_note` column and the earlier one without it. It is loaded into raw.ga_votes, one row per
member state and roll call; rows that fail a check go to raw.rejected_rows with the reason.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from unga.errors import UserError
from unga.loading.core import csvfile
from unga.loading.core.checks import write_checked
from unga.loading.core.transaction import SourceKind, Staged

COLUMNS_WITH_NOTE: tuple[str, ...] = (
    "undl_id",
    "ms_code",
    "ms_name",
    "ms_vote",
    "date",
    "session",
    "resolution",
    "draft",
    "committee_report",
    "meeting",
    "title",
    "agenda_title",
    "subjects",
    "vote_note",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "undl_link",
)
COLUMNS_WITHOUT_NOTE: tuple[str, ...] = tuple(c for c in COLUMNS_WITH_NOTE if c != "vote_note")

LAYOUTS: dict[str, tuple[str, ...]] = {
    "undl-2026-with-vote-note": COLUMNS_WITH_NOTE,
    "undl-without-vote-note": COLUMNS_WITHOUT_NOTE,
}
TOTAL_COLUMNS = ("total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms")
INCOMING = "incoming_undl"

DDL = """
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
    record json not null,
    source_file varchar
);
alter table raw.rejected_rows add column if not exists source_file varchar;
"""

# Each row gets the first reason that applies, in this order.
REASONS = """
            when trim(undl_id) = '' then 'missing undl_id'
            when not regexp_full_match(trim(undl_id), '[0-9]+')
                or try_cast(trim(undl_id) as bigint) is null
                then 'undl_id is not a whole number: ' || undl_id
            when trim(ms_name) = '' then 'missing ms_name'
            when trim(ms_vote) = '' then 'missing vote code'
            when upper(trim(ms_vote)) not in ('Y', 'N', 'A', 'X')
                then 'bad vote code ' || ms_vote || ' (expected Y, N, A or X)'
            when try_strptime(trim(date), '%Y-%m-%d') is null
                then 'bad date ' || date || ' (expected YYYY-MM-DD)'"""

# Most totals are written like 120.0: a regular expression lets those through before the
# costlier test of any other way of writing a whole number (' 120', '1.2e2').
TOTAL_REASON = """
            when not regexp_full_match({c}, '[0-9]+(\\.0*)?') and trim({c}) <> '' and (
                try_cast(trim({c}) as double) is null
                or not isfinite(try_cast(trim({c}) as double))
                or try_cast(trim({c}) as double) < 0
                or try_cast(trim({c}) as double) <> floor(try_cast(trim({c}) as double))
            ) then 'bad {c} ' || {c} || ' (expected a whole number)'"""

INSERT = """
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
from accepted
"""


def detect_layout(header: tuple[str, ...] | list[str]) -> str:
    """Name the layout of a header row, or raise a UserError that says what differs."""
    normalized = tuple(h.strip().lower() for h in header)
    for name, columns in LAYOUTS.items():
        if normalized == columns:
            return name
    expected = set(COLUMNS_WITH_NOTE)
    unknown = [h for h in normalized if h not in expected]
    missing = [c for c in COLUMNS_WITHOUT_NOTE if c not in normalized]
    details = []
    if unknown:
        details.append("unknown column(s) " + ", ".join(repr(u) for u in unknown))
    if missing:
        details.append("missing column(s) " + ", ".join(missing))
    if not details:
        details.append("columns in an unexpected order")
    raise UserError(
        "the header is not a UN Digital Library voting-data header: " + "; ".join(details)
    )


def input_files(source: Path) -> list[Path]:
    if not source.is_file():
        raise UserError(f"the source file {source} does not exist or is not a file")
    return [source]


def stage(con: duckdb.DuckDBPyConnection, source: Path) -> Staged:
    """Read the file into the temporary view incoming_undl, every value as text."""
    layout = detect_layout(csvfile.read_header(con, source))
    columns = LAYOUTS[layout]
    positions = {name: i for i, name in enumerate(columns)}
    rows_read = csvfile.stage(
        con,
        source,
        width=len(columns),
        keep={name: positions.get(name) for name in COLUMNS_WITH_NOTE},
        table=INCOMING,
    )
    if rows_read == 0:
        raise UserError(f"{source.name} has a header but no vote rows")
    return Staged(layout, rows_read, {"undl": source.name})


def write(con: duckdb.DuckDBPyConnection, load_id: int, staged: Staged) -> None:
    """Check the staged rows and write them (inside the caller's transaction)."""
    write_checked(
        con,
        load_id=load_id,
        incoming=INCOMING,
        columns=COLUMNS_WITH_NOTE,
        reasons=REASONS + "".join(TOTAL_REASON.format(c=c) for c in TOTAL_COLUMNS),
        key="try_cast(trim(undl_id) as bigint), upper(trim(ms_name))",
        key_label="same undl_id and ms_name",
        insert_sql=INSERT,
        rejected_table="raw.rejected_rows",
        file_name=staged.files["undl"],
    )


KIND = SourceKind(
    name="undl",
    label="UN Digital Library voting data",
    env_var="UNGA_SOURCE",
    source_noun="source",
    accepts_url=True,
    required=True,
    tables=("raw.ga_votes",),
    rejected_table="raw.rejected_rows",
    ddl=DDL,
    input_files=input_files,
    stage=stage,
    write=write,
)
