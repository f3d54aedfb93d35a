"""Reading the UN Digital Library voting-data file: layouts, compression, shape of rows.

Reading stages the file in a DuckDB connection: the rows of the right shape in the view
incoming_undl (every value as text, with its row number), the others in malformed_rows.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from testkit import (
    COLUMNS_WITH_NOTE,
    COLUMNS_WITHOUT_NOTE,
    LAYOUT_WITH_NOTE,
    LAYOUT_WITHOUT_NOTE,
    csv_bytes,
    release,
    set_aside,
    truncate,
    vote_row,
    write_votes,
)
from unga.errors import UserError
from unga.loading import undl
from unga.loading.core.checks import create_malformed_table


@dataclass
class Read:
    """What reading one file staged: the layout, the rows, the rows set aside, the count."""

    layout: str
    rows_read: int
    rows: list[dict[str, str | None]]
    malformed: list[tuple[int, str, object]]

    @property
    def row_numbers(self) -> list[int]:
        return [int(r["source_row"]) for r in self.rows]

    def column(self, name: str) -> list[str | None]:
        return [r[name] for r in self.rows]


def read(path: Path) -> Read:
    con = duckdb.connect()
    try:
        create_malformed_table(con)
        staged = undl.stage(con, path)
        cursor = con.execute("select * from incoming_undl order by source_row")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        malformed = set_aside(con)
    finally:
        con.close()
    return Read(staged.layout, staged.rows_read, rows, malformed)


def test_layouts_pinned() -> None:
    assert undl.COLUMNS_WITH_NOTE == COLUMNS_WITH_NOTE
    assert undl.COLUMNS_WITHOUT_NOTE == COLUMNS_WITHOUT_NOTE
    assert len(COLUMNS_WITH_NOTE) == 20


@pytest.mark.parametrize(
    ("header", "layout"),
    [
        (list(COLUMNS_WITH_NOTE), LAYOUT_WITH_NOTE),
        (list(COLUMNS_WITHOUT_NOTE), LAYOUT_WITHOUT_NOTE),
        ([f" {c.upper()} " for c in COLUMNS_WITH_NOTE], LAYOUT_WITH_NOTE),
    ],
    ids=["with-vote-note", "without-vote-note", "upper-case-padded"],
)
def test_detect_layout(header: list[str], layout: str) -> None:
    assert undl.detect_layout(header) == layout


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["undl_id", "country", *COLUMNS_WITH_NOTE[2:]], "unknown column(s) 'country'"),
        (list(COLUMNS_WITH_NOTE[:-1]), "missing column(s) undl_link"),
        (list(reversed(COLUMNS_WITH_NOTE)), "columns in an unexpected order"),
        (["rcid", "country", "vote"], "unknown column(s) 'rcid', 'country', 'vote'"),
    ],
    ids=["renamed", "missing", "reordered", "other-dataset"],
)
def test_detect_layout_rejects_unknown_headers(header: list[str], message: str) -> None:
    with pytest.raises(UserError, match="not a UN Digital Library voting-data header") as err:
        undl.detect_layout(header)
    assert message in str(err.value)


@pytest.mark.parametrize("name", ["votes.csv", "votes.csv.gz"])
@pytest.mark.parametrize("with_note", [True, False], ids=["with-note", "without-note"])
def test_read_plain_and_gzip(tmp_path: Path, name: str, with_note: bool) -> None:
    rows = release(1)
    path = write_votes(tmp_path / name, rows, with_note=with_note)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")
    got = read(path)
    assert got.layout == (LAYOUT_WITH_NOTE if with_note else LAYOUT_WITHOUT_NOTE)
    assert got.rows_read == 6
    assert got.malformed == []
    assert got.row_numbers == [1, 2, 3, 4, 5, 6]
    assert got.column("ms_name") == [r["ms_name"] for r in rows]
    assert got.column("title") == ["Test resolution, with a comma"] * 6
    # vote_note is read (empty) when the file has it, and missing (NULL) when it has not
    assert set(got.column("vote_note")) == ({""} if with_note else {None})


def test_gzip_detected_by_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes(gzip.compress(csv_bytes(release(1))))
    assert read(path).rows_read == 6


def test_utf8_bom_and_non_ascii_names(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    rows = [vote_row(ms_name="CÔTE D'IVOIRE"), vote_row(ms_name="TÜRKİYE")]
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(rows))
    got = read(path)
    assert got.layout == LAYOUT_WITH_NOTE
    assert got.column("ms_name") == ["CÔTE D'IVOIRE", "TÜRKİYE"]


def test_quoted_newline_is_one_record(tmp_path: Path) -> None:
    path = write_votes(tmp_path / "v.csv", [vote_row(title="two\nlines"), vote_row(1002)])
    got = read(path)
    assert got.rows_read == 2
    assert got.column("title") == ["two\nlines", "Test resolution, with a comma"]


@pytest.mark.parametrize("name", ["v.csv", "v.csv.gz"])
def test_row_numbers_across_many_rows(tmp_path: Path, name: str) -> None:
    """DuckDB hands rows over in vectors of 2,048: the numbers run on exactly across them,
    rows of the wrong shape and quoted newlines included."""
    fields = [vote_row(1)[c] for c in COLUMNS_WITH_NOTE]
    rows: list = []
    for i in range(7000):
        if i % 997 == 5:
            rows.append(fields[:3])  # a short row
        else:
            rows.append(vote_row(1000 + i, title="two\nlines" if i % 10 == 0 else "t"))
    got = read(write_votes(tmp_path / name, rows))
    short = [i + 1 for i in range(7000) if i % 997 == 5]
    assert got.rows_read == 7000
    assert got.row_numbers == [n for n in range(1, 7001) if n not in short]
    assert got.column("undl_id") == [str(1000 + n - 1) for n in got.row_numbers]
    assert [m[:2] for m in got.malformed] == [(n, "expected 20 fields, found 3") for n in short]


def test_rows_of_the_wrong_shape_are_kept_aside(tmp_path: Path) -> None:
    good = vote_row()
    short = [good[c] for c in COLUMNS_WITH_NOTE][:-1]
    long = [*(good[c] for c in COLUMNS_WITH_NOTE), "extra"]
    path = tmp_path / "v.csv"
    path.write_bytes(csv_bytes([good, short, long, vote_row(1002)]) + b"\n" + b"1,2\n")
    got = read(path)
    assert got.rows_read == 6
    assert got.row_numbers == [1, 4]
    assert got.malformed == [
        (2, "expected 20 fields, found 19", short),
        (3, "expected 20 fields, found 21", long),
        (5, "empty line", []),
        (6, "expected 20 fields, found 2", ["1", "2"]),
    ]


def test_without_note_layout_needs_19_fields(tmp_path: Path) -> None:
    row = [vote_row()[c] for c in COLUMNS_WITH_NOTE]  # 20 fields under a 19-column header
    path = write_votes(tmp_path / "v.csv", [vote_row(), row], with_note=False)
    assert read(path).malformed == [(2, "expected 19 fields, found 20", row)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: it has no header row"),
        (csv_bytes([]), "has a header but no vote rows"),
        (gzip.compress(b""), "is empty: it has no header row"),
        (gzip.compress(csv_bytes([])), "has a header but no vote rows"),
        (b"a,b,c\n1,2,3\n", "not a UN Digital Library voting-data header"),
        (csv_bytes([vote_row()]).replace(b"FRANCE", b"FRAN\xc7E"), "is not UTF-8 text"),
        (b"\x1f\x8bnot really gzip", "is truncated or not a valid gzip file"),
    ],
    ids=["empty", "header-only", "empty-gz", "header-only-gz", "foreign", "latin-1", "fake-gz"],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        read(path)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("cut", [1, 8, 200])
def test_truncated_gzip(tmp_path: Path, cut: int) -> None:
    rows = [vote_row(1000 + i, f"STATE {i}") for i in range(300)]
    path = truncate(write_votes(tmp_path / "votes.csv.gz", rows), cut)
    with pytest.raises(UserError) as err:
        read(path)
    assert str(err.value).startswith("votes.csv.gz is truncated or not a valid gzip file")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"reading .* failed"):
        read(tmp_path / "nowhere.csv")
