"""Read the UN Digital Library bulk file "General Assembly Voting Data" (record 4060887).

The file is CSV, plain or gzip-compressed, in one of two header layouts: the current one with a
`vote_note` column and the earlier one without it. Reading checks the header and the shape of
every row; rows with the wrong number of fields are kept aside with the reason, never dropped.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from unga.errors import UserError

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

GZIP_MAGIC = b"\x1f\x8b"
CHUNK_ROWS = 100_000

# Receives each chunk of well-formed rows: values by column name, and their row numbers.
ChunkHandler = Callable[[dict[str, list[str]], list[int]], None]


@dataclass
class ReadResult:
    """What reading one file gave: the layout, the rows of the wrong shape, and the row count."""

    layout: str
    malformed: list[tuple[int, str, list[str]]] = field(default_factory=list)
    rows_read: int = 0


def _open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == GZIP_MAGIC:
        return io.TextIOWrapper(gzip.GzipFile(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def detect_layout(header: list[str]) -> str:
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


@contextmanager
def reading_errors(path: Path) -> Iterator[None]:
    """Turn the errors of reading a CSV file (plain or gzip) into one-sentence UserErrors."""
    try:
        yield
    except (EOFError, gzip.BadGzipFile, zlib.error) as err:
        raise UserError(f"{path.name} is truncated or not a valid gzip file ({err})") from None
    except UnicodeDecodeError as err:
        raise UserError(
            f"{path.name} is not UTF-8 text ({err.reason} at byte {err.start})"
        ) from None
    except csv.Error as err:
        raise UserError(f"{path.name} is not valid CSV: {err}") from None
    except OSError as err:
        raise UserError(f"reading {path} failed: {err.strerror or err}") from None


def split_records(
    records: Iterator[list[str]],
    width: int,
    positions: dict[str, int],
    on_chunk: ChunkHandler,
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[int, list[tuple[int, str, list[str]]]]:
    """Hand the rows after the header to `on_chunk` in chunks, by column name.

    Every row must have `width` fields; `positions` says which field holds each column kept.
    Returns the number of rows read and the rows of another width: (row, reason, fields).
    """
    malformed: list[tuple[int, str, list[str]]] = []
    columns: dict[str, list[str]] = {name: [] for name in positions}
    row_numbers: list[int] = []
    n = 0
    for n, record in enumerate(records, start=1):
        if len(record) != width:
            reason = f"expected {width} fields, found {len(record)}" if record else "empty line"
            malformed.append((n, reason, record))
            continue
        row_numbers.append(n)
        for name, i in positions.items():
            columns[name].append(record[i])
        if len(row_numbers) >= chunk_rows:
            on_chunk(columns, row_numbers)
            columns = {name: [] for name in positions}
            row_numbers = []
    if row_numbers:
        on_chunk(columns, row_numbers)
    return n, malformed


def read(path: Path, on_chunk: ChunkHandler, chunk_rows: int = CHUNK_ROWS) -> ReadResult:
    """Read every row of `path`, handing well-formed rows to `on_chunk` in chunks.

    Raises UserError on an unreadable file (truncated gzip, not UTF-8, bad CSV) or an unknown
    header. Rows with the wrong number of fields are returned in `malformed` with the reason.
    """
    with reading_errors(path), _open_text(path) as handle:
        records = csv.reader(handle)
        header = next(records, None)
        if header is None:
            raise UserError(f"{path.name} is empty: it has no header row")
        layout = detect_layout(header)
        names = LAYOUTS[layout]
        positions = {name: i for i, name in enumerate(names)}
        n, malformed = split_records(records, len(names), positions, on_chunk, chunk_rows)
    if n == 0:
        raise UserError(f"{path.name} has a header but no vote rows")
    return ReadResult(layout, malformed, rows_read=n)
