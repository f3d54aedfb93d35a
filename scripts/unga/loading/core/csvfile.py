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
  numbers. A pass over the physical lines of the file, run beside the main read, tells whether
  it has any empty line at all (none in the real files). Only if it has are the blank records
  located, from where the empty lines are and how many lines each record spans (see
  `_add_blank_records`); the lines and the records must then add up exactly, or the file is
  refused.

Errors of the file as a whole (a truncated or broken gzip stream, text that is not UTF-8, an
empty file) are told as one sentence naming the file.
"""

from __future__ import annotations

import gzip
import sys
import zlib
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
# How the passes over physical lines split them: `new_line` for DuckDB and the line breaks it
# then counts, for files whose lines end with \\n or \\r\\n, and for those ending with \\r alone.
LINE_BREAKS = {"\\r\\n": "\\r\\n|\\r|\\n", "\\r": "\\r|\\n"}
# At most this many reader errors are kept for a file; a file with more is refused (it is not a
# CSV file of the expected shape, and its errors would only fill memory).
REJECTS_LIMIT = 100_000
# The header may have at most this many fields.
MAX_HEADER_FIELDS = 1024


def line_ends(path: Path) -> str:
    """'\\r' when the lines of the file end with a carriage return alone, else '\\r\\n' (the
    reader's setting for lines ending with \\n or \\r\\n), from its first 64 kB."""
    opener = gzip.open if compression_of(path) == "gzip" else open
    try:
        with opener(path, "rb") as handle:
            head = handle.read(1 << 16)
    except (OSError, EOFError, zlib.error):
        return "\\r\\n"  # the reader itself says what is wrong with the file
    return "\\r" if b"\r" in head and b"\n" not in head else "\\r\\n"


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
            _add_blank_records(con, path, raw, skipped, n)
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


def _physical_lines(path: Path, **options: str) -> str:
    """A `read_csv(?, ...)` call that returns the physical lines of the file, an empty line as
    NULL (one column, no quotes: the reader then keeps empty lines)."""
    return _read_csv(
        path,
        1,
        delim=f"'{LINE_DELIMITER}'",
        quote="''",
        escape="''",
        strict_mode="false",
        null_padding="false",
        nullstr="''",
        new_line=f"'{line_ends(path)}'",
        **options,
    )


def _has_blank_lines(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Whether any physical line of the file is empty (a blank record, or inside a field).

    `con` is a connection of its own, closed here."""
    sql = _physical_lines(path, parallel="true")
    try:
        con.execute("set enable_progress_bar = false")
        return bool(
            con.execute(f"select count(*) from {sql} where c0 is null", [str(path)]).fetchone()[0]
        )
    finally:
        con.close()


def _add_blank_records(
    con: duckdb.DuckDBPyConnection, path: Path, raw: str, skipped: str, n: int
) -> None:
    """Add the blank records of the file to `skipped`, as 'empty line' with no fields.

    The reader gave the rows in order and the numbers of the records it set aside; the file's
    physical lines say which lines are empty. Walking through the file, a record starts where
    the previous one ended: an empty line there is a blank record; a row or a set-aside record
    takes as many lines as it has line breaks in its fields, plus one. Blank lines and records
    of several lines are rare, so the walk goes from one of them to the next. Every line and
    every record must be used up exactly, or the file is refused.
    """
    physical = _physical_lines(path)
    breaks = LINE_BREAKS[line_ends(path)]
    lines, empty = con.execute(
        f"""
        select count(*), coalesce(list(p order by p) filter (where line is null), [])
        from (select row_number() over () as p, c0 as line from {physical})
        """,
        [str(path)],
    ).fetchone()
    text = f"concat_ws(chr(31), {_fields(n)})"
    has_break = " or ".join(f"contains(c{i}, chr(10)) or contains(c{i}, chr(13))" for i in range(n))
    tall = con.execute(
        f"""
        select k, len(regexp_extract_all({text}, '{breaks}'))
        from {raw}
        where {has_break}
        order by k
        """
    ).fetchall()
    rows = int(con.execute(f"select count(*) from {raw}").fetchone()[0])
    apart = con.execute(
        f"""
        select line, len(regexp_extract_all(
            regexp_replace(record ->> '$', '^[\r\n]+|[\r\n]+$', '', 'g'), '{breaks}'
        ))
        from {skipped}
        order by line
        """
    ).fetchall()
    blanks = _walk(int(lines), list(empty), rows, tall, apart)
    if blanks is None:
        raise UserError(
            f"reading {path.name} failed: its blank lines cannot be placed among its records "
            "(line breaks inside its fields are not those that end its lines)"
        )
    if blanks:
        con.execute(
            f"insert into {skipped} select unnest(?), 'empty line', cast('[]' as json)", [blanks]
        )


def _walk(
    lines: int,
    empty: list[int],
    rows: int,
    tall: list[tuple[int, int]],
    apart: list[tuple[int, int]],
) -> list[int] | None:
    """The record numbers of the blank records, or None when the counts do not add up.

    `lines` physical lines, `empty` those that are empty; `rows` rows returned in order, of
    which those in `tall` (row, extra lines) span several lines; `apart` the records set aside
    (record number, extra lines).
    """
    line = record = row = 1
    blanks: list[int] = []
    e = t = a = 0
    while True:
        while e < len(empty) and empty[e] < line:  # empty lines inside a record already passed
            e += 1
        # rows of one line up to the next event: an empty line, a set-aside record, a tall row
        step = min(
            empty[e] - line if e < len(empty) else lines,
            apart[a][0] - record if a < len(apart) else lines,
            (tall[t][0] if t < len(tall) else rows + 1) - row,
        )
        line, record, row = line + step, record + step, row + step
        if e < len(empty) and empty[e] == line:
            blanks.append(record)
            line, record, e = line + 1, record + 1, e + 1
        elif a < len(apart) and apart[a][0] == record:
            line, record, a = line + 1 + apart[a][1], record + 1, a + 1
        elif row <= rows and t < len(tall) and tall[t][0] == row:
            line, record, row, t = line + 1 + tall[t][1], record + 1, row + 1, t + 1
        else:
            break
    whole = line == lines + 1 and row == rows + 1 and a == len(apart) and e == len(empty)
    return blanks if whole else None


# Up to this many runs of records set aside, the rows are numbered by an expression; beyond, by
# an as-of join whose result is kept.
MAX_STEPS_IN_EXPRESSION = 256


def _number(con: duckdb.DuckDBPyConnection, raw: str, skipped: str, n: int, *, table: str) -> None:
    """The relation `table`: the rows of `raw` in file order, each with its record number (line).

    The k-th row is the k-th record not in `skipped`: k plus the number of skipped records
    before it. Each run of skipped records is a step: past the row after which it comes, the
    numbers move on by its length. With no step (the real files) the number is k; with a few,
    a case expression adds them; with many, an as-of join finds each row's step, once.
    """
    steps = con.execute(
        f"""
        select rows_before, max(n_skipped) as n_skipped
        from (
            select
                line - row_number() over (order by line) as rows_before,
                row_number() over (order by line) as n_skipped
            from {skipped}
        )
        group by rows_before
        order by rows_before desc
        """
    ).fetchall()
    if len(steps) <= MAX_STEPS_IN_EXPRESSION:
        shift = " ".join(f"when k > {before} then {skipped_}" for before, skipped_ in steps)
        line = f"k + case {shift} else 0 end" if steps else "k"
        con.execute(
            f"create or replace temp view {table} as select {line} as line, {_fields(n)} from {raw}"
        )
        return
    fields = ", ".join(f"positioned.c{i}" for i in range(n))
    con.execute(
        f"""
        create or replace temp table {table} as
        with steps as (
            select unnest(?) as rows_before, unnest(?) as n_skipped
        ),
        positioned as (
            select k, {_fields(n)}
            from {raw}
        )
        select positioned.k + coalesce(steps.n_skipped, 0) as line, {fields}
        from positioned
        asof left join steps on positioned.k > steps.rows_before
        """,
        [[before for before, _ in steps], [count for _, count in steps]],
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
