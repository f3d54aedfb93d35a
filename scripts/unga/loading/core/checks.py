"""The one row-check template, and the rejected rows with their reasons.

A source kind stages the rows it read as text in a temporary relation (`source_row` and one
varchar column per field). `write_checked` gives every staged row the first reason that applies
to it, or, among the rows without one, marks every row after the first with the same key as a
duplicate of that first row; the kind's own insert writes the others. Rows that could not even
be split into fields are kept aside in the temporary table `malformed_rows` while reading, and
`write_malformed` moves them to the rejected-rows table. Every rejected row keeps the file, its
row number, the reason and the row as read (JSON).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

MALFORMED = "malformed_rows"

# Rows with a reason: the first one that applies, in the order of the branches.
REASONS_TEMPLATE = """
create or replace temp table verdicts as
select source_row, reason
from (
    select
        source_row,
        case
            {reasons}
        end as reason
    from {incoming}
)
where reason is not null
"""

# Among the rows without a reason, every row after the first with the same key.
DUPLICATES_TEMPLATE = """
insert into verdicts
with candidates as not materialized (
    select incoming.source_row, row({key}) as duplicate_key
    from {incoming} as incoming
    anti join verdicts on incoming.source_row = verdicts.source_row
),
repeated as (
    select duplicate_key, min(source_row) as first_row
    from candidates
    group by duplicate_key
    having count(*) > 1
)
select
    candidates.source_row,
    'duplicate of row ' || repeated.first_row || ' ({key_label})' as reason
from candidates
inner join repeated on candidates.duplicate_key = repeated.duplicate_key
where candidates.source_row <> repeated.first_row
"""


def create_malformed_table(con: duckdb.DuckDBPyConnection) -> None:
    """The temporary table where reading keeps the rows it could not split into fields."""
    con.execute(
        f"create or replace temp table {MALFORMED} "
        "(source_file varchar, source_row bigint, reason varchar, record json)"
    )


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
    """Check the rows staged in `incoming`, write the good ones and reject the others.

    `reasons` are the `when ... then '<reason>'` branches of a case, in the order checked; `key`
    the expressions that make two rows duplicates. `insert_sql` writes the rows without a reason:
    it selects from the temporary view `accepted` and takes the load id as its one parameter.
    Rejected rows go to `rejected_table` with the reason and the row as read (`columns`).
    """
    con.execute(REASONS_TEMPLATE.format(reasons=reasons, incoming=incoming))
    con.execute(DUPLICATES_TEMPLATE.format(incoming=incoming, key=key, key_label=key_label))
    if con.execute("select count(*) from verdicts").fetchone()[0]:
        accepted = f"""
            select incoming.*
            from {incoming} as incoming
            anti join verdicts on incoming.source_row = verdicts.source_row
        """
    else:
        accepted = f"select * from {incoming}"
    con.execute(f"create or replace temp view accepted as {accepted}")
    con.execute(insert_sql, [load_id])
    fields = ", ".join(
        ["source_row := incoming.source_row", *(f'"{c}" := incoming."{c}"' for c in columns)]
    )
    con.execute(
        f"""
        insert into {rejected_table} by name
        select
            ? as load_id,
            ? as source_file,
            incoming.source_row,
            verdicts.reason,
            cast(to_json(struct_pack({fields})) as json) as record
        from {incoming} as incoming
        inner join verdicts on incoming.source_row = verdicts.source_row
        order by incoming.source_row
        """,
        [load_id, file_name],
    )
    con.execute("drop view accepted")
    con.execute("drop table verdicts")


def write_malformed(con: duckdb.DuckDBPyConnection, load_id: int, rejected_table: str) -> None:
    """Move the rows kept aside while reading into the rejected-rows table."""
    con.execute(
        f"""
        insert into {rejected_table} by name
        select ? as load_id, source_file, source_row, reason, record
        from {MALFORMED}
        order by source_file, source_row
        """,
        [load_id],
    )
    con.execute(f"delete from {MALFORMED}")


# SQL snippets the kinds' checks share.


def blank(column: str) -> str:
    """SQL: true when the text column is missing, blank or R's NA."""
    return f"coalesce(trim({column}), '') in ('', 'NA')"


def text(column: str) -> str:
    """SQL: the text column with blanks and R's NA as null, otherwise as written."""
    return f"case when {blank(column)} then null else {column} end"


def whole_number(column: str) -> str:
    """SQL: true when the text column holds a whole number (12 or 12.0)."""
    c = f"trim({column})"
    return f"(regexp_full_match({c}, '[0-9]+(\\.0+)?') and try_cast({c} as double) is not null)"


def iso_date(column: str) -> str:
    """SQL: the text column as a date when written YYYY-MM-DD, else null."""
    return f"try_cast(try_strptime(trim({column}), '%Y-%m-%d') as date)"
