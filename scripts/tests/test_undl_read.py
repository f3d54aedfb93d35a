"""Reading the UN Digital Library voting-data file: layouts, compression, shape of rows."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from testkit import (
    COLUMNS_WITH_NOTE,
    COLUMNS_WITHOUT_NOTE,
    LAYOUT_WITH_NOTE,
    LAYOUT_WITHOUT_NOTE,
    csv_bytes,
    release,
    truncate,
    vote_row,
    write_votes,
)
from unga import undl
from unga.errors import UserError


class Collector:
    """An on_chunk handler that keeps every chunk it is given."""

    def __init__(self) -> None:
        self.chunks: list[tuple[dict[str, list[str]], list[int]]] = []

    def __call__(self, columns: dict[str, list[str]], row_numbers: list[int]) -> None:
        self.chunks.append((columns, row_numbers))

    @property
    def row_numbers(self) -> list[int]:
        return [n for _, numbers in self.chunks for n in numbers]

    def column(self, name: str) -> list[str]:
        return [v for columns, _ in self.chunks for v in columns[name]]


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
    got = Collector()
    result = undl.read(path, got)
    assert result.layout == (LAYOUT_WITH_NOTE if with_note else LAYOUT_WITHOUT_NOTE)
    assert result.rows_read == 6
    assert result.malformed == []
    assert got.row_numbers == [1, 2, 3, 4, 5, 6]
    assert got.column("ms_name") == [r["ms_name"] for r in rows]
    assert got.column("title") == ["Test resolution, with a comma"] * 6
    assert ("vote_note" in got.chunks[0][0]) == with_note


def test_gzip_detected_by_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_bytes(gzip.compress(csv_bytes(release(1))))
    result = undl.read(path, Collector())
    assert result.rows_read == 6


def test_utf8_bom_and_non_ascii_names(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    rows = [vote_row(ms_name="CÔTE D'IVOIRE"), vote_row(ms_name="TÜRKİYE")]
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(rows))
    got = Collector()
    assert undl.read(path, got).layout == LAYOUT_WITH_NOTE
    assert got.column("ms_name") == ["CÔTE D'IVOIRE", "TÜRKİYE"]


def test_quoted_newline_is_one_record(tmp_path: Path) -> None:
    path = write_votes(tmp_path / "v.csv", [vote_row(title="two\nlines"), vote_row(1002)])
    got = Collector()
    result = undl.read(path, got)
    assert result.rows_read == 2
    assert got.column("title") == ["two\nlines", "Test resolution, with a comma"]


def test_chunks_keep_row_numbers(tmp_path: Path) -> None:
    rows = [vote_row(1000 + i) for i in range(7)]
    path = write_votes(tmp_path / "v.csv", rows)
    got = Collector()
    result = undl.read(path, got, chunk_rows=3)
    assert [len(numbers) for _, numbers in got.chunks] == [3, 3, 1]
    assert got.row_numbers == list(range(1, 8))
    assert got.column("undl_id") == [str(1000 + i) for i in range(7)]
    assert result.rows_read == 7


def test_rows_of_the_wrong_shape_are_kept_aside(tmp_path: Path) -> None:
    good = vote_row()
    short = [good[c] for c in COLUMNS_WITH_NOTE][:-1]
    long = [*(good[c] for c in COLUMNS_WITH_NOTE), "extra"]
    path = tmp_path / "v.csv"
    path.write_bytes(csv_bytes([good, short, long, vote_row(1002)]) + b"\n" + b"1,2\n")
    got = Collector()
    result = undl.read(path, got)
    assert result.rows_read == 6
    assert got.row_numbers == [1, 4]
    assert result.malformed == [
        (2, "expected 20 fields, found 19", short),
        (3, "expected 20 fields, found 21", long),
        (5, "empty line", []),
        (6, "expected 20 fields, found 2", ["1", "2"]),
    ]


def test_without_note_layout_needs_19_fields(tmp_path: Path) -> None:
    row = [vote_row()[c] for c in COLUMNS_WITH_NOTE]  # 20 fields under a 19-column header
    path = write_votes(tmp_path / "v.csv", [vote_row(), row], with_note=False)
    result = undl.read(path, Collector())
    assert result.malformed == [(2, "expected 19 fields, found 20", row)]


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
        undl.read(path, Collector())
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("cut", [1, 8, 200])
def test_truncated_gzip(tmp_path: Path, cut: int) -> None:
    rows = [vote_row(1000 + i, f"STATE {i}") for i in range(300)]
    path = truncate(write_votes(tmp_path / "votes.csv.gz", rows), cut)
    with pytest.raises(UserError) as err:
        undl.read(path, Collector())
    assert str(err.value).startswith("votes.csv.gz is truncated or not a valid gzip file")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"reading .* failed"):
        undl.read(tmp_path / "nowhere.csv", Collector())
