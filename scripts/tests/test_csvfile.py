"""DuckDB's CSV reader as the loaders use it: every record numbered as Python's csv module does.

Python's csv module is the reference here: for files written with random fields (commas, quotes,
newlines inside quotes, empty fields, non-ASCII text), blank lines, rows with too few or too
many fields, with or without a BOM, CRLF line ends, a last line without its newline, plain or
gzip, each record must be staged or set aside under the number Python gives it, with the same
fields. Records the reader cannot split at all are set aside with the text of the line.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from testkit import set_aside
from unga.errors import UserError
from unga.loading.core import csvfile
from unga.loading.core.checks import create_malformed_table

HEADER = ["id", "name", "note", "count"]
WIDTH = len(HEADER)


@dataclass
class Staged:
    rows_read: int
    rows: list[tuple]  # (source_row, *fields)
    set_aside: list[tuple[int, str, object]]  # (source_row, reason, record)


def stage(path: Path, width: int = WIDTH) -> Staged:
    con = duckdb.connect()
    try:
        create_malformed_table(con)
        keep = {name: i for i, name in enumerate(HEADER[:width])}
        rows_read = csvfile.stage(con, path, width=width, keep=keep, table="incoming")
        rows = con.execute("select * from incoming order by source_row").fetchall()
        aside = set_aside(con)
    finally:
        con.close()
    return Staged(rows_read, rows, aside)


def expected(text: str, width: int = WIDTH) -> Staged:
    """What Python's csv module reads: records numbered from 1 after the header."""
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))[1:]
    rows, set_aside = [], []
    for n, fields in enumerate(records, start=1):
        if len(fields) == width:
            rows.append((n, *fields))
        elif not fields:
            set_aside.append((n, "empty line", []))
        else:
            set_aside.append((n, f"expected {width} fields, found {len(fields)}", fields))
    return Staged(len(records), rows, set_aside)


def random_field(rng: random.Random) -> str:
    pieces = ["a", "Côte d'Ivoire", "1", "2.0", " ", ",", '"', "\n", "\r\n", "", "x y", "TÜRKİYE"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))


def random_file(seed: int, n: int, *, blank: int = 5, end: str = "\n") -> tuple[str, list[str]]:
    """CSV text (records ended by `end`, the header first) and what each record is; `blank` is
    the weight of blank lines among the records (rows 85, short and long rows 5 each)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=end)
    writer.writerow(HEADER)
    kinds = []
    for i in range(n):
        kind = rng.choices(["row", "blank", "short", "long"], weights=[85, blank, 5, 5])[0]
        kinds.append(kind)
        if kind == "blank":
            out.write(end)
            continue
        count = {"row": WIDTH, "short": rng.randint(1, WIDTH - 1), "long": WIDTH + 1}[kind]
        writer.writerow([str(i), *(random_field(rng) for _ in range(count - 1))])
    return out.getvalue(), kinds


def write(path: Path, text: str, *, gz: bool = False, bom: bool = False):
    """Write CSV text, plain or gzip."""
    data = (("\ufeff" if bom else "") + text).encode()
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def written(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode()


@pytest.mark.parametrize("seed", range(6))
def test_records_numbered_as_python_does(tmp_path: Path, seed: int) -> None:
    end = "\r\n" if seed % 3 == 1 else "\n"
    text, kinds = random_file(seed, 400, end=end)
    if seed == 4:
        text = text.rstrip("\n")  # the last line without its newline
    options = {"gz": seed % 2 == 1, "bom": seed % 3 == 2}
    path = write(tmp_path / f"f{seed}.csv", text, **options)
    got, want = stage(path), expected(written(path))
    assert {"blank", "long", "short"} <= set(kinds)
    assert got.rows_read == want.rows_read == 400 - (seed == 4 and kinds[-1] == "blank")
    assert got.rows == want.rows
    assert got.set_aside == want.set_aside


def test_numbers_run_on_across_the_reader_vectors(tmp_path: Path) -> None:
    """Over 2,048 rows at a time, with blank lines, short rows and quoted newlines."""
    text, _ = random_file(99, 9000)
    got = stage(write(tmp_path / "big.csv.gz", text, gz=True))
    want = expected(text)
    assert got.rows_read == want.rows_read == 9000
    assert [r[0] for r in got.rows] == [r[0] for r in want.rows]
    assert got.rows == want.rows
    assert got.set_aside == want.set_aside


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_file_without_blank_lines(tmp_path: Path, gz: bool) -> None:
    """The usual case: no blank line, so no read beyond the main one locates any."""
    text, kinds = random_file(7, 3000, blank=0)
    assert "blank" not in kinds
    got, want = stage(write(tmp_path / "f.csv", text, gz=gz)), expected(text)
    assert (got.rows_read, got.rows, got.set_aside) == (want.rows_read, want.rows, want.set_aside)


def test_rows_with_many_fields_keep_the_text_of_the_line(tmp_path: Path) -> None:
    text = "id,name,note,count\n1,a,b,c\n2,a,b,c,d,e,f,g\n3,a,b,c\n"
    got = stage(write(tmp_path / "f.csv", text))
    assert [r[0] for r in got.rows] == [1, 3]
    assert got.set_aside == [(2, "expected 4 fields, found 8", "2,a,b,c,d,e,f,g")]
    assert got.rows_read == 3


def test_a_quote_left_open_is_set_aside(tmp_path: Path) -> None:
    text = 'id,name,note,count\n1,a,b,c\n2,"a" b,c,d\n3,a,b,c\n'
    got = stage(write(tmp_path / "f.csv", text))
    assert [r[0] for r in got.rows] == [1, 3]
    [(n, reason, record)] = got.set_aside
    assert (n, record) == (2, '2,"a" b,c,d')
    assert reason.startswith("not valid CSV")
    assert got.rows_read == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\nid,name,note,count\n1,a,b,c\n", "the first line of f.csv is not its header"),
        ("", "f.csv is empty: it has no header row"),
        ("\n\n", "f.csv is empty: it has no header row"),
    ],
    ids=["blank-first-line", "empty", "only-blank-lines"],
)
def test_a_file_must_start_with_its_header(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "f.csv", text)
    con = duckdb.connect()
    create_malformed_table(con)
    with pytest.raises(UserError, match=message):
        csvfile.read_header(con, path)
        csvfile.stage(con, path, width=WIDTH, keep={"id": 0}, table="incoming")


def test_header_fields_as_written(tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", '"rcid"," Country ",vote\n1,a,b\n', bom=True)
    assert csvfile.read_header(duckdb.connect(), path) == ("rcid", " Country ", "vote")


def test_a_file_that_is_not_csv_at_all_is_refused(tmp_path: Path) -> None:
    """Every record with more fields than the header, beyond the reader's limit of problems."""
    rows = "".join(f"{i},x,y,z,{'w,' * 10}v\n" for i in range(csvfile.REJECTS_LIMIT // 10 + 10))
    path = write(tmp_path / "f.csv", "id,name,note,count\n" + rows)
    with pytest.raises(UserError, match="does not read as CSV with 4 fields per row"):
        stage(path)


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_blank_lines_whatever_ends_the_lines(tmp_path: Path, end: str) -> None:
    records = [
        "id,name,note,count",
        "1,a,b,c",
        "",
        f'2,"two{end}lines",b,c',
        "",
        "",
        "3,a,b",
        "4,a,b,c",
        "",
    ]
    text = end.join(records) + end
    got, want = stage(write(tmp_path / "f.csv", text)), expected(text)
    assert want.rows_read == 8
    assert (got.rows_read, got.rows, got.set_aside) == (want.rows_read, want.rows, want.set_aside)
