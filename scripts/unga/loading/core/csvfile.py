"""CSV files read with DuckDB's own reader, every record numbered as it is in the file.

A record is what Python's csv module calls a row: a newline inside a quoted field does not end
it, and a blank line is a record of no fields. Record 1 is the header; a row's `source_row` is
its record number minus one. Every record after the header is either staged (the right number of
fields) or set aside in `malformed_rows` with the reason, so rows read = rows staged + rows set
aside, and the numbers of both are exact. How DuckDB's `read_csv` is used for that:

- Fields are read by position as text: explicit columns c0, c1, ... all varchar, no sniffing.
  With `null_padding` a short row is padded with NULLs on the right, and no field is ever read
  as NULL otherwise (`nullstr` is a string no field holds, quoted or not), so the number of a
  row's fields is the number of its non-NULL values. One column more than the header is
  declared, so that a row with one field too many is still split into its fields.
- Records the reader cannot split that way (more fields still, a quote left open, a line over
  its maximum size) go to its rejects table (`store_rejects`) with their record number (`line`,
  which counts the header, blank lines and records, not physical lines) and their text.
- The rows it returns carry no number, and come in the order of the file (one thread,
  `parallel = false`, which `null_padding` needs anyway with quoted newlines); they are
  numbered 1, 2, ... as they come. The k-th row is the k-th record that was not set aside: its
  record number follows from the numbers of those.
- In a file of several columns the reader skips blank lines, but counts them in its record
  numbers. A quick pass over the physical lines of the file tells whether it has any blank line
  at all (none in the real files). Only if it has are the blank records located: one more read
  rejects every record with a number (a column more than any row fills), and a record count
  that includes blank records gives those after the last row. The counts must then agree, or
  the file is refused.

Errors of the file as a whole (a truncated or broken gzip stream, text that is not UTF-8, an
empty file) are told as one sentence naming the file.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb

from unga.errors import UserError
from unga.loading.core.checks import MALFORMED

GZIP_MAGIC = b"\x1f\x8b"
# `nullstr`: a value no field of these sources holds, so that an empty field reads as '' and only
# the padding of a short row is NULL.
NO_FIELD = "\x1e\x1f\x1e"
# A character the physical-line pass splits on; any character works (fields after the first are
# ignored there), this one keeps the first field the whole line in practice.
LINE_DELIMITER = "\x1f"
# At most this many reader errors are kept for a file; a file with more is refused (it is not a
# CSV file of the expected shape, and its errors would only fill memory).
REJECTS_LIMIT = 100_000
# The header may have at most this many fields.
MAX_HEADER_FIELDS = 1024


def compression_of(path: Path) -> str:
    """'gzip' when the file starts like a gzip stream, whatever its name; else 'none'."""
    try:
        with path.open("rb") as probe:
            return "gzip" if probe.read(2) == GZIP_MAGIC else "none"
    except OSError as err:
        raise UserError(f"reading {path} failed: {err.strerror or err}") from None


@contextmanager
def reading_errors(path: Path) -> Iterator[None]:
    """Turn DuckDB's errors about a whole file into one sentence naming it."""
    try:
        yield
    except duckdb.Error as err:
        message = str(err)
        first_line = message.strip().splitlines()[0] if message.strip() else type(err).__name__
        if "gzip" in message.lower():
            raise UserError(
                f"{path.name} is truncated or not a valid gzip file ({first_line})"
            ) from None
        if "unicode" in message.lower() or "utf-8" in message.lower():
            raise UserError(f"{path.name} is not UTF-8 text ({first_line})") from None
        raise UserError(f"reading {path.name} failed: {first_line}") from None


def _columns(n: int, last_type: str = "varchar") -> str:
    names = [f"'c{i}': 'varchar'" for i in range(n - 1)] + [f"'c{n - 1}': '{last_type}'"]
    return "{" + ", ".join(names) + "}"


def _fields(n: int) -> str:
    return ", ".join(f"c{i}" for i in range(n))


def _read_csv(path: Path, n_columns: int, *, rejects: str | None = None, **options: str) -> str:
    """A `read_csv(?, ...)` call (the path is its parameter) splitting records into n columns."""
    settings = {
        "columns": _columns(n_columns),
        "header": "false",
        "auto_detect": "false",
        "delim": "','",
        "quote": "'\"'",
        "escape": "'\"'",
        "strict_mode": "true",
        "null_padding": "true",
        "parallel": "false",
        "nullstr": f"'{NO_FIELD}'",
        "allow_quoted_nulls": "false",
        "compression": f"'{compression_of(path)}'",
    }
    if rejects:
        settings |= {
            "store_rejects": "true",
            "rejects_table": f"'{rejects}_errors'",
            "rejects_scan": f"'{rejects}_scans'",
            "rejects_limit": str(REJECTS_LIMIT),
        }
    settings |= options
    return "read_csv(?, " + ", ".join(f"{k} = {v}" for k, v in settings.items()) + ")"


def _drop_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> None:
    con.execute(f"drop table if exists {rejects}_errors; drop table if exists {rejects}_scans")


def _refuse_bad_encoding(con: duckdb.DuckDBPyConnection, rejects: str, path: Path) -> None:
    row = con.execute(
        f"select min(line) from {rejects}_errors where error_type = 'INVALID ENCODING'"
    ).fetchone()
    if row and row[0] is not None:
        raise UserError(f"{path.name} is not UTF-8 text (invalid bytes in record {row[0]})")


def read_header(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[str, ...]:
    """The fields of the first record of the file, as written (a UTF-8 BOM is dropped)."""
    if not path.is_file():
        raise UserError(f"reading {path} failed: no such file")
    with reading_errors(path):
        _drop_rejects(con, "_csv_header")
        sql = _read_csv(path, MAX_HEADER_FIELDS, rejects="_csv_header")
        rows = con.execute(f"select * from {sql} limit 1", [str(path)]).fetchall()
        _refuse_bad_encoding(con, "_csv_header", path)
        problem = con.execute(
            "select error_message from _csv_header_errors where line = 1 limit 1"
        ).fetchone()
        _drop_rejects(con, "_csv_header")
    if problem:
        raise UserError(f"the first line of {path.name} is not a CSV header: {problem[0]}")
    if not rows:
        raise UserError(f"{path.name} is empty: it has no header row")
    return tuple(value for value in rows[0] if value is not None)


def stage(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    width: int,
    keep: Mapping[str, int | None],
    table: str,
) -> int:
    """Read every record of `path` after its `width`-field header; return how many were read.

    Rows of `width` fields become the temporary view `table`: `source_row` and the columns of
    `keep` (name -> position of the field, or None for a column the file does not have, which
    is NULL). Other records go to `malformed_rows` with the reason and the fields as read (or
    the text of the line, when the reader could not split it).
    """
    n = width + 1
    raw = f"{table}__records"
    with reading_errors(path), ThreadPoolExecutor(max_workers=1) as beside:
        # The look for blank lines reads the file on a second connection while the main read,
        # which runs on one thread, reads it here.
        blank_lines = beside.submit(_has_blank_lines, con.cursor(), path)
        _drop_rejects(con, "_csv")
        # row_number() over () is a streaming window: it numbers the rows in the order the
        # single-threaded reader returns them, which is the order of the file.
        con.execute(
            f"create or replace temp table {raw} as "
            f"select row_number() over () as k, * from {_read_csv(path, n, rejects='_csv')}",
            [str(path)],
        )
        _refuse_bad_encoding(con, "_csv", path)
        errors = con.execute("select count(*) from _csv_errors").fetchone()[0]
        if errors >= REJECTS_LIMIT:
            raise UserError(
                f"{path.name} does not read as CSV with {width} fields per row: "
                f"{errors:,} or more records could not be split"
            )
        skipped = f"{table}__skipped"
        con.execute(
            f"""
            create or replace temp table {skipped} as
            select
                line,
                case
                    when bool_or(error_type = 'TOO MANY COLUMNS')
                        then 'expected {width} fields, found ' || max(column_idx)
                    else 'not valid CSV: ' || lower(any_value(error_type)) || ' ('
                        || rtrim(any_value(error_message), '.') || ')'
                end as reason,
                cast(to_json(any_value(csv_line)) as json) as record
            from _csv_errors
            group by line
            """
        )
        _drop_rejects(con, "_csv")
        rows = int(con.execute(f"select count(*) from {raw}").fetchone()[0])
        if blank_lines.result():
            _add_blank_records(con, path, width, rows, skipped)
    header_line = con.execute(f"select reason from {skipped} where line = 1", []).fetchone()
    if header_line:
        raise UserError(f"the first line of {path.name} is not its header ({header_line[0]})")
    _number(con, raw, skipped, n, table=f"{table}__numbered")
    _create_view(con, f"{table}__numbered", width, keep, table)
    _set_aside(con, f"{table}__numbered", skipped, width, n, path.name)
    n_skipped = con.execute(f"select count(*) from {skipped} where line > 1").fetchone()[0]
    return rows - 1 + int(n_skipped)


def stage_by_name(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    table: str,
    what: str,
) -> int:
    """Stage a CSV file whose header names its columns, in any order; return the rows read.

    `columns` are the ones kept (names compared in lower case; those the file lacks are NULL),
    `required` must all be in the header; the file's other columns are named on standard error.
    """
    names = [h.strip().lower() for h in read_header(con, path)]
    missing = [c for c in required if c not in names]
    if missing:
        raise UserError(f"{path.name} is not {what}: missing column(s) " + ", ".join(missing))
    ignored = [h for h in names if h not in columns]
    if ignored:
        print(f"{path.name}: column(s) not loaded: " + ", ".join(ignored), file=sys.stderr)
    keep = {c: names.index(c) if c in names else None for c in columns}
    return stage(con, path, width=len(names), keep=keep, table=table)


def _has_blank_lines(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Whether any physical line of the file is empty (a blank record, or inside a field).

    `con` is a connection of its own, closed here."""
    sql = _read_csv(
        path,
        1,
        delim=f"'{LINE_DELIMITER}'",
        quote="''",
        escape="''",
        strict_mode="false",
        null_padding="false",
        nullstr="''",
        parallel="true",
    )
    try:
        con.execute("set enable_progress_bar = false")
        return bool(
            con.execute(f"select count(*) from {sql} where c0 is null", [str(path)]).fetchone()[0]
        )
    finally:
        con.close()


def _add_blank_records(
    con: duckdb.DuckDBPyConnection, path: Path, width: int, rows: int, skipped: str
) -> None:
    """Add the blank records of the file to `skipped`, as 'empty line' with no fields."""
    # Every record, blank ones included: the reader keeps blank lines in a one-column read.
    count_sql = _read_csv(path, 1, strict_mode="false", null_padding="false", nullstr="''")
    records = int(con.execute(f"select count(*) from {count_sql}", [str(path)]).fetchone()[0])
    # Every record that is not blank, by number: with two columns more than the header, and no
    # padding, every record the main read returned is rejected for its missing columns.
    _drop_rejects(con, "_csv_all")
    numbers_sql = _read_csv(
        path,
        width + 2,
        rejects="_csv_all",
        null_padding="false",
        rejects_limit="0",
        rejects_line_size_limit="1",
    )
    # (fetched: a query runs as its result is read)
    con.execute(
        f"select count(*) from (select c{width + 1} from {numbers_sql})", [str(path)]
    ).fetchall()
    con.execute(
        f"""
        insert into {skipped}
        select blank.line, 'empty line', cast('[]' as json)
        from range(1, ? + 1) as blank (line)
        anti join (
            select line from _csv_all_errors union select line from {skipped}
        ) as known on blank.line = known.line
        """,
        [records],
    )
    _drop_rejects(con, "_csv_all")
    set_aside = int(con.execute(f"select count(*) from {skipped}").fetchone()[0])
    if rows + set_aside != records:
        raise UserError(
            f"reading {path.name} failed: DuckDB counted {records:,} records but returned "
            f"{rows:,} and set aside {set_aside:,}; the file has blank lines the reader could "
            "not place"
        )


def _number(con: duckdb.DuckDBPyConnection, raw: str, skipped: str, n: int, *, table: str) -> None:
    """The view `table`: the rows of `raw` in file order, each with its record number (line).

    The k-th row is the k-th record not in `skipped`: k plus the number of skipped records
    before it, found by an as-of join on how many rows precede each skipped record (and just k
    when no record was skipped, as in the real files).
    """
    fields = ", ".join(f"positioned.c{i}" for i in range(n))
    if not con.execute(f"select count(*) from {skipped}").fetchone()[0]:
        con.execute(
            f"create or replace temp view {table} as select k as line, {_fields(n)} from {raw}"
        )
        return
    con.execute(
        f"""
        create or replace temp view {table} as
        with ranked as (
            select
                line - row_number() over (order by line) as rows_before,
                row_number() over (order by line) as n_skipped
            from {skipped}
        ),
        steps as (
            select rows_before, max(n_skipped) as n_skipped
            from ranked
            group by rows_before
        ),
        positioned as (
            select k, {_fields(n)}
            from {raw}
        )
        select positioned.k + coalesce(steps.n_skipped, 0) as line, {fields}
        from positioned
        asof left join steps on positioned.k > steps.rows_before
        """
    )


def _create_view(
    con: duckdb.DuckDBPyConnection,
    numbered: str,
    width: int,
    keep: Mapping[str, int | None],
    table: str,
) -> None:
    columns = ", ".join(
        f'c{i} as "{name}"' if i is not None else f'cast(null as varchar) as "{name}"'
        for name, i in keep.items()
    )
    con.execute(
        f"""
        create or replace temp view {table} as
        select line - 1 as source_row, {columns}
        from {numbered}
        where line > 1 and c{width - 1} is not null and c{width} is null
        """
    )


def _set_aside(
    con: duckdb.DuckDBPyConnection,
    numbered: str,
    skipped: str,
    width: int,
    n: int,
    file_name: str,
) -> None:
    """Rows of another number of fields, and the records the reader set aside, to malformed."""
    con.execute(
        f"""
        insert into {MALFORMED}
        select ?, line - 1, 'expected {width} fields, found ' || n_fields,
            cast(to_json(list_slice([{_fields(n)}], 1, n_fields)) as json)
        from (
            select *, len(list_filter([{_fields(n)}], lambda field: field is not null)) as n_fields
            from {numbered}
            where line > 1 and not (c{width - 1} is not null and c{width} is null)
        )
        union all
        select ?, line - 1, reason, record
        from {skipped}
        where line > 1
        """,
        [file_name, file_name],
    )
