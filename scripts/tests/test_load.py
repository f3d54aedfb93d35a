"""`unga load`: the load log, idempotence, atomicity, rejected rows and row accounting."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import unga
from testkit import (
    COLUMNS_WITH_NOTE,
    LAYOUT_WITH_NOTE,
    LAYOUT_WITHOUT_NOTE,
    UNGA_BIN,
    assert_one_error,
    csv_bytes,
    load_file,
    query,
    release,
    scalar,
    truncate,
    vote_row,
    warehouse_state,
    write_votes,
)
from unga.loading import undl
from unga.loading.core import warehouse

LOG_COLUMNS = (
    "load_id, source, file_name, file_size_bytes, sha256, header_layout, status, rows_read, "
    "rows_loaded, rows_rejected, started_at, finished_at, loader_version"
)


def load(source: Path, origin: str, db: Path, *, force: bool = False):
    return load_file(undl.KIND, source, db, origin, force=force)


def load_log(db: Path) -> list[dict]:
    rows = query(db, f"select {LOG_COLUMNS} from raw.load_log order by load_id")
    names = [c.strip() for c in LOG_COLUMNS.split(",")]
    return [dict(zip(names, row, strict=True)) for row in rows]


def votes(db: Path) -> list[tuple]:
    return query(
        db, "select load_id, source_row, undl_id, ms_name, ms_vote from raw.ga_votes order by 2"
    )


def rejected(db: Path) -> list[tuple[int, str, object]]:
    rows = query(db, "select source_row, reason, record from raw.rejected_rows order by 1")
    return [(n, reason, json.loads(record)) for n, reason, record in rows]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "unga.duckdb"


@pytest.fixture
def loaded(tmp_path: Path, db: Path, run_cli) -> Path:
    """A warehouse holding release 1 plus one rejected row (so rejected_rows is not empty)."""
    rows = [*release(1), vote_row(1001, "FRANCE", "Y")]  # row 7 duplicates row 1
    source = write_votes(tmp_path / "release1.csv", rows)
    result = run_cli("load", "--source", source, "--db", db)
    assert result.code == 0, result.err
    assert scalar(db, "select count(*) from raw.ga_votes") == 6
    assert scalar(db, "select count(*) from raw.rejected_rows") == 1
    return db


# --- the load log ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "with_note", "layout"),
    [
        ("votes.csv", True, LAYOUT_WITH_NOTE),
        ("votes.csv.gz", True, LAYOUT_WITH_NOTE),
        ("votes.csv", False, LAYOUT_WITHOUT_NOTE),
        ("votes.csv.gz", False, LAYOUT_WITHOUT_NOTE),
    ],
)
def test_load_logs_one_row(
    tmp_path: Path, db: Path, run_cli, name: str, with_note: bool, layout: str
) -> None:
    rows = [*release(1), vote_row(1002, "CHINA", "Q")]
    source = write_votes(tmp_path / name, rows, with_note=with_note)
    before = datetime.now(UTC)
    result = run_cli("load", "--source", source, "--db", db)
    after = datetime.now(UTC)
    assert result.code == 0, result.err
    assert "loaded 6 of 7 rows (1 rejected)" in result.err
    assert "raw.rejected_rows" in result.err
    [log] = load_log(db)
    assert log["load_id"] == 1
    assert log["source"] == str(source)
    assert log["file_name"] == name
    assert log["file_size_bytes"] == source.stat().st_size
    assert log["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert log["header_layout"] == layout
    assert log["status"] == "loaded"
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"]) == (7, 6, 1)
    assert log["loader_version"] == unga.__version__
    slack = timedelta(seconds=1)
    assert before - slack <= log["started_at"] <= log["finished_at"] <= after + slack


def test_loaded_values(tmp_path: Path, db: Path, run_cli) -> None:
    rows = [
        vote_row(1001, "FRANCE", "Y", ms_code="FRA", vote_note="Recorded vote"),
        vote_row(1001, "BRAZIL", "n", ms_code=" "),
        vote_row(1001, " CHINA ", " A ", total_yes="", total_ms="120"),
    ]
    source = write_votes(tmp_path / "v.csv", rows)
    assert run_cli("load", "--source", source, "--db", db).code == 0
    got = query(
        db,
        "select source_row, undl_id, ms_code, ms_name, ms_vote, date, vote_note, total_yes, "
        "total_ms, title, subjects from raw.ga_votes order by source_row",
    )
    assert [r[:5] for r in got] == [
        (1, 1001, "FRA", "FRANCE", "Y"),
        (2, 1001, None, "BRAZIL", "n"),
        (3, 1001, None, " CHINA ", " A "),
    ]
    assert {r[5] for r in got} == {datetime(2020, 12, 7).date()}
    assert [r[6:9] for r in got] == [
        ("Recorded vote", "2.0", "3.0"),
        ("", "2.0", "3.0"),
        ("", "", "120"),
    ]
    assert got[0][9:] == ("Test resolution, with a comma", "PEACE--POLITICAL CONDITIONS|SECURITY")


def test_layout_without_vote_note_leaves_it_null(tmp_path: Path, db: Path, run_cli) -> None:
    source = write_votes(tmp_path / "old.csv.gz", release(1), with_note=False)
    assert run_cli("load", "--source", source, "--db", db).code == 0
    assert query(db, "select count(*), count(vote_note) from raw.ga_votes") == [(6, 0)]


def test_plain_and_gzip_load_the_same_rows(tmp_path: Path, run_cli) -> None:
    contents = []
    for name in ("v.csv", "v.csv.gz"):
        db = tmp_path / name / "unga.duckdb"
        source = write_votes(tmp_path / name / name, release(2))
        assert run_cli("load", "--source", source, "--db", db).code == 0
        contents.append(query(db, "select * exclude (load_id) from raw.ga_votes order by 1"))
    assert len(contents[0]) == 9
    assert contents[0] == contents[1]


@pytest.mark.parametrize("ms_code", ["", "FRA"], ids=["blank", "filled"])
def test_ms_code_blank_or_filled(tmp_path: Path, db: Path, run_cli, ms_code: str) -> None:
    rows = [vote_row(1001, n, "Y", ms_code=ms_code and n[:3]) for n in ("FRANCE", "BRAZIL")]
    source = write_votes(tmp_path / "v.csv", rows)
    assert run_cli("load", "--source", source, "--db", db).code == 0
    codes = [r[0] for r in query(db, "select ms_code from raw.ga_votes order by source_row")]
    assert codes == ([None, None] if not ms_code else ["FRA", "BRA"])
    assert scalar(db, "select count(*) from raw.rejected_rows") == 0


# --- idempotence -----------------------------------------------------------------------------


def test_same_file_twice_is_unchanged(tmp_path: Path, loaded: Path, run_cli) -> None:
    before = warehouse_state(loaded)
    source = tmp_path / "release1.csv"
    result = run_cli("load", "--source", source, "--db", loaded)
    assert result.code == 0, result.err
    assert "source unchanged since the last load" in result.err
    assert "reading" not in result.err
    first, second = load_log(loaded)
    assert second["status"] == "unchanged"
    assert second["sha256"] == first["sha256"]
    assert (second["rows_read"], second["rows_loaded"], second["rows_rejected"]) == (0, 0, 0)
    after = warehouse_state(loaded)
    assert after["ga_votes"] == before["ga_votes"]
    assert after["rejected_rows"] == before["rejected_rows"]
    assert {r[0] for r in votes(loaded)} == {1}


def test_same_content_under_another_name_is_unchanged(
    tmp_path: Path, loaded: Path, run_cli
) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_bytes((tmp_path / "release1.csv").read_bytes())
    assert run_cli("load", "--source", copy, "--db", loaded).code == 0
    assert load_log(loaded)[-1]["status"] == "unchanged"


def test_force_reloads_one_copy(tmp_path: Path, loaded: Path, run_cli) -> None:
    before = votes(loaded)
    result = run_cli("load", "--source", tmp_path / "release1.csv", "--db", loaded, "--force")
    assert result.code == 0, result.err
    assert "loaded 6 of 7 rows (1 rejected)" in result.err
    assert [(r["load_id"], r["status"]) for r in load_log(loaded)] == [(1, "loaded"), (2, "loaded")]
    after = votes(loaded)
    assert len(after) == 6
    assert [r[1:] for r in after] == [r[1:] for r in before]
    assert {r[0] for r in after} == {2}
    assert query(loaded, "select load_id, source_row from raw.rejected_rows") == [(2, 7)]
    # and without --force the same file is again unchanged
    run_cli("load", "--source", tmp_path / "release1.csv", "--db", loaded)
    assert load_log(loaded)[-1]["status"] == "unchanged"


def test_new_release_replaces_the_previous(tmp_path: Path, loaded: Path, run_cli) -> None:
    source = write_votes(tmp_path / "release2.csv.gz", release(2))
    result = run_cli("load", "--source", source, "--db", loaded)
    assert result.code == 0, result.err
    assert "loaded 9 of 9 rows (0 rejected)" in result.err
    assert [r["status"] for r in load_log(loaded)] == ["loaded", "loaded"]
    assert query(loaded, "select load_id, count(*) from raw.ga_votes group by 1") == [(2, 9)]
    assert scalar(loaded, "select count(*) from raw.rejected_rows") == 0
    # going back to the first release is a change too, not 'unchanged'
    assert run_cli("load", "--source", tmp_path / "release1.csv", "--db", loaded).code == 0
    assert load_log(loaded)[-1]["status"] == "loaded"
    assert scalar(loaded, "select count(*) from raw.ga_votes") == 6


def test_load_function_report(tmp_path: Path, db: Path) -> None:
    source = write_votes(tmp_path / "v.csv", release(1))
    first = load(source, "origin-label", db)
    assert (first.load_id, first.status, first.rows_read, first.rows_loaded) == (1, "loaded", 6, 6)
    assert first.layout == LAYOUT_WITH_NOTE
    again = load(source, "origin-label", db)
    assert (again.load_id, again.status, again.rows_read) == (2, "unchanged", 0)
    forced = load(source, "origin-label", db, force=True)
    assert (forced.load_id, forced.status, forced.rows_loaded) == (3, "loaded", 6)
    assert scalar(db, "select count(*) from raw.ga_votes") == 6
    assert {r["source"] for r in load_log(db)} == {"origin-label"}


# --- rejected rows ---------------------------------------------------------------------------

BAD_ROWS = [
    ({"ms_vote": "Q"}, "bad vote code Q (expected Y, N, A or X)"),
    ({"ms_vote": "YES"}, "bad vote code YES"),
    ({"ms_vote": ""}, "missing vote code"),
    ({"ms_vote": "  "}, "missing vote code"),
    ({"date": "2021-13-40"}, "bad date 2021-13-40 (expected YYYY-MM-DD)"),
    ({"date": "21/02/2020"}, "bad date 21/02/2020"),
    ({"date": "2021-02-29"}, "bad date 2021-02-29"),
    ({"date": ""}, "bad date"),
    ({"undl_id": ""}, "missing undl_id"),
    ({"undl_id": "abc"}, "undl_id is not a whole number: abc"),
    ({"undl_id": "12.5"}, "undl_id is not a whole number: 12.5"),
    ({"undl_id": "1e3"}, "undl_id is not a whole number: 1e3"),
    ({"ms_name": ""}, "missing ms_name"),
    ({"ms_name": "   "}, "missing ms_name"),
    ({"total_yes": "abc"}, "bad total_yes abc (expected a whole number)"),
    ({"total_no": "-1"}, "bad total_no -1"),
    ({"total_abstentions": "12.5"}, "bad total_abstentions 12.5"),
    ({"total_non_voting": "nan"}, "bad total_non_voting nan"),
    ({"total_ms": "inf"}, "bad total_ms inf"),
]


BAD_ROW_IDS = [",".join(f"{k}={v!r}" for k, v in change.items()) for change, _ in BAD_ROWS]


@pytest.mark.parametrize(("change", "reason"), BAD_ROWS, ids=BAD_ROW_IDS)
def test_bad_row_is_rejected_with_reason(
    tmp_path: Path, db: Path, run_cli, change: dict[str, str], reason: str
) -> None:
    bad = vote_row(1002, "GERMANY", "Y") | change
    source = write_votes(tmp_path / "v.csv", [*release(1)[:3], bad, *release(1)[3:]])
    result = run_cli("load", "--source", source, "--db", db)
    assert result.code == 0, result.err
    [(row_number, got_reason, record)] = rejected(db)
    assert row_number == 4
    assert got_reason.startswith(reason)
    assert record["source_row"] == 4
    assert {k: record[k] for k in COLUMNS_WITH_NOTE} == bad
    [log] = load_log(db)
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"]) == (7, 6, 1)
    assert [r[1] for r in votes(db)] == [1, 2, 3, 5, 6, 7]


@pytest.mark.parametrize(
    "change",
    [{"total_yes": "120.0"}, {"total_ms": ""}, {"ms_vote": "x"}, {"undl_id": " 1001 "}],
    ids=["decimal-total", "blank-total", "lower-case-vote", "padded-id"],
)
def test_acceptable_values_load(tmp_path: Path, db: Path, run_cli, change: dict[str, str]) -> None:
    source = write_votes(tmp_path / "v.csv", [vote_row(1001) | change])
    assert run_cli("load", "--source", source, "--db", db).code == 0
    assert scalar(db, "select count(*) from raw.ga_votes") == 1
    assert rejected(db) == []


@pytest.mark.parametrize("extra", [-1, 1], ids=["one-field-short", "one-field-extra"])
def test_wrong_number_of_fields(tmp_path: Path, db: Path, run_cli, extra: int) -> None:
    fields = [vote_row(1003, "GERMANY")[c] for c in COLUMNS_WITH_NOTE]
    fields = fields[:-1] if extra < 0 else [*fields, "surplus"]
    source = write_votes(tmp_path / "v.csv", [*release(1), fields])
    assert run_cli("load", "--source", source, "--db", db).code == 0
    [(row_number, reason, record)] = rejected(db)
    assert (row_number, reason) == (7, f"expected 20 fields, found {20 + extra}")
    assert record == fields
    assert [r["rows_read"] for r in load_log(db)] == [7]


def test_duplicates_keep_the_first(tmp_path: Path, db: Path, run_cli) -> None:
    rows = [
        *release(1),  # rows 1-6
        vote_row(1001, "FRANCE", "Y"),  # 7: exact copy of row 1
        vote_row(1002, "CHINA", "A"),  # 8: row 6 again, with another vote
        vote_row(1002, " china ", "N"),  # 9: row 6 again, name spelt differently
    ]
    source = write_votes(tmp_path / "v.csv", rows)
    assert run_cli("load", "--source", source, "--db", db).code == 0
    got = rejected(db)
    assert [(n, reason) for n, reason, _ in got] == [
        (7, "duplicate of row 1 (same undl_id and ms_name)"),
        (8, "duplicate of row 6 (same undl_id and ms_name)"),
        (9, "duplicate of row 6 (same undl_id and ms_name)"),
    ]
    assert got[1][2]["ms_vote"] == "A"
    assert query(db, "select ms_vote from raw.ga_votes where source_row = 6") == [("N",)]
    [log] = load_log(db)
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"]) == (9, 6, 3)


def test_duplicate_with_the_id_written_differently(tmp_path: Path, db: Path, run_cli) -> None:
    """'1001', ' 1001' and '01001' are the same roll call once loaded (undl_id is a bigint)."""
    rows = [vote_row(1001, "FRANCE"), vote_row(" 1001", "FRANCE"), vote_row("01001", "FRANCE")]
    source = write_votes(tmp_path / "v.csv", rows)
    assert run_cli("load", "--source", source, "--db", db).code == 0
    assert [(n, r) for n, r, _ in rejected(db)] == [
        (2, "duplicate of row 1 (same undl_id and ms_name)"),
        (3, "duplicate of row 1 (same undl_id and ms_name)"),
    ]


def test_duplicate_of_a_rejected_row_is_loaded(tmp_path: Path, db: Path, run_cli) -> None:
    rows = [vote_row(1001, "FRANCE", "Q"), vote_row(1001, "FRANCE", "Y")]
    source = write_votes(tmp_path / "v.csv", rows)
    assert run_cli("load", "--source", source, "--db", db).code == 0
    assert [(n, r[:13]) for n, r, _ in rejected(db)] == [(1, "bad vote code")]
    assert [r[1] for r in votes(db)] == [2]


def test_every_row_is_accounted_for(tmp_path: Path, db: Path, run_cli) -> None:
    """All kinds of bad rows in one file: rows read = loaded + rejected, one reason each."""
    bad = [vote_row(2000 + i, "GERMANY") | change for i, (change, _) in enumerate(BAD_ROWS)]
    short = [vote_row(3000)[c] for c in COLUMNS_WITH_NOTE][:5]
    rows = [*release(2), *bad, short, vote_row(1001, "FRANCE", "N"), vote_row(1003, "CHINA")]
    path = tmp_path / "v.csv.gz"
    write_votes(path, rows)
    result = run_cli("load", "--source", path, "--db", db)
    assert result.code == 0, result.err
    n_rejected = len(BAD_ROWS) + 3
    assert f"loaded 9 of {9 + n_rejected} rows ({n_rejected} rejected)" in result.err
    [log] = load_log(db)
    assert log["rows_read"] == log["rows_loaded"] + log["rows_rejected"] == len(rows)
    assert (log["rows_loaded"], log["rows_rejected"]) == (9, n_rejected)
    got = rejected(db)
    assert [n for n, _, _ in got] == list(range(10, len(rows) + 1))
    assert [
        reason.startswith(expected)
        for (_, reason, _), (_, expected) in zip(got, BAD_ROWS, strict=False)
    ] == [True] * len(BAD_ROWS)
    numbers = query(
        db,
        "select source_row from raw.ga_votes union all select source_row from raw.rejected_rows "
        "order by 1",
    )
    assert [n for (n,) in numbers] == list(range(1, len(rows) + 1))


# --- atomic failures -------------------------------------------------------------------------


def _broken_header(tmp_path: Path) -> str:
    header = ["undl_id", "country", *COLUMNS_WITH_NOTE[2:]]
    return str(write_votes(tmp_path / "bad-header.csv", release(2), header=header))


def _truncated_gzip(tmp_path: Path) -> str:
    rows = [vote_row(1000 + i // 3, f"STATE {i % 3}") for i in range(600)]
    return str(truncate(write_votes(tmp_path / "truncated.csv.gz", rows), 20))


def _empty(tmp_path: Path) -> str:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    return str(path)


def _header_only(tmp_path: Path) -> str:
    return str(write_votes(tmp_path / "header-only.csv.gz", []))


def _only_bad_rows(tmp_path: Path) -> str:
    rows = [vote_row(1001, "FRANCE", "Q"), vote_row(1002, "CHINA", "maybe")]
    return str(write_votes(tmp_path / "bad-rows.csv", rows))


def _missing(tmp_path: Path) -> str:
    return str(tmp_path / "not-there.csv.gz")


def _latin1(tmp_path: Path) -> str:
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_bytes([vote_row(ms_name="CÔTE D'IVOIRE")]).decode().encode("latin-1"))
    return str(path)


FAILURES = [
    (_broken_header, "the header is not a UN Digital Library voting-data header"),
    (_truncated_gzip, "truncated.csv.gz is truncated or not a valid gzip file"),
    (_empty, "empty.csv is empty"),
    (_header_only, "header-only.csv.gz has a header but no vote rows"),
    (_only_bad_rows, "none of the 2 rows could be loaded (1 rejected as: bad vote code"),
    (_missing, "does not exist"),
    (_latin1, "latin1.csv is not UTF-8 text"),
]


@pytest.mark.parametrize(("make", "message"), FAILURES, ids=[f.__name__[1:] for f, _ in FAILURES])
def test_failed_load_changes_nothing(
    tmp_path: Path, loaded: Path, run_cli, make, message: str
) -> None:
    before = warehouse_state(loaded)
    result = run_cli("load", "--source", make(tmp_path), "--db", loaded)
    assert result.code == 2
    assert_one_error(result.err, message)
    assert warehouse_state(loaded) == before


def test_unreachable_url_changes_nothing(loaded: Path, run_cli, unreachable_url: str) -> None:
    before = warehouse_state(loaded)
    result = run_cli("load", "--source", unreachable_url, "--db", loaded)
    assert result.code == 2
    assert_one_error(result.err, f"downloading {unreachable_url} failed")
    assert warehouse_state(loaded) == before


def test_failure_in_a_new_warehouse_loads_nothing(tmp_path: Path, db: Path, run_cli) -> None:
    result = run_cli("load", "--source", _broken_header(tmp_path), "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "header")
    if db.exists():
        assert scalar(db, "select count(*) from raw.ga_votes") == 0
        assert scalar(db, "select count(*) from raw.load_log") == 0


def test_failure_after_rows_were_staged_is_rolled_back(
    tmp_path: Path, loaded: Path, run_cli
) -> None:
    """DuckDB has read rows of the file before it finds the truncated end."""
    before = warehouse_state(loaded)
    result = run_cli("load", "--source", _truncated_gzip(tmp_path), "--db", loaded)
    assert result.code == 2
    assert_one_error(result.err, "truncated")
    assert "read " not in result.err  # it failed while reading
    assert warehouse_state(loaded) == before


def test_failure_after_the_old_rows_were_deleted_is_rolled_back(
    tmp_path: Path, loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash at the very end (writing the log) must not leave the old release deleted."""
    real_log = warehouse.write_log

    def failing_log(con, values):
        if values["status"] == "loaded":
            assert con.execute("select count(*) from raw.ga_votes").fetchone()[0] == 9
            raise RuntimeError("disk full")
        real_log(con, values)

    monkeypatch.setattr(warehouse, "write_log", failing_log)
    before = warehouse_state(loaded)
    source = write_votes(tmp_path / "release2.csv", release(2))
    with pytest.raises(RuntimeError, match="disk full"):
        load(source, str(source), loaded)
    assert warehouse_state(loaded) == before


def test_failed_load_as_a_subprocess(tmp_path: Path, loaded: Path) -> None:
    before = warehouse_state(loaded)
    source = truncate(write_votes(tmp_path / "cut.csv.gz", release(2)), 5)
    completed = subprocess.run(
        [str(UNGA_BIN), "load", "--source", str(source), "--db", str(loaded)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert_one_error(completed.stderr, "cut.csv.gz is truncated or not a valid gzip file")
    assert completed.stdout == ""
    assert warehouse_state(loaded) == before


def test_warehouse_held_by_a_reader(tmp_path: Path, loaded: Path) -> None:
    """`unga load` writes in place: a reader in another process makes it fail cleanly."""
    reader = subprocess.Popen(
        [
            str(UNGA_BIN.with_name("python")),
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(con.execute('select count(*) from raw.ga_votes').fetchone()[0], flush=True); "
            "sys.stdin.readline()",
            str(loaded),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "6"
        source = write_votes(tmp_path / "release2.csv", release(2))
        completed = subprocess.run(
            [str(UNGA_BIN), "load", "--source", str(source), "--db", str(loaded)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        reader.stdin.write("\n")
        reader.stdin.flush()
    finally:
        reader.communicate(timeout=30)
    assert completed.returncode == 2
    assert_one_error(completed.stderr, f"cannot open the warehouse {loaded} for writing")
    assert scalar(loaded, "select count(*) from raw.ga_votes") == 6


def test_warehouse_that_is_not_a_duckdb_file(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "unga.duckdb"
    db.write_bytes(b"this is not a DuckDB database, and it must stay as it is" * 100)
    before = db.read_bytes()
    source = write_votes(tmp_path / "v.csv", release(1))
    result = run_cli("load", "--source", source, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, f"cannot open the warehouse {db} for writing")
    assert db.read_bytes() == before
