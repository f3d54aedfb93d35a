"""Loading Voeten's data in the unvotes / TidyTuesday layout (`unga load --kind unvotes`)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from extra_sources_kit import (
    ISSUE_ROWS,
    ROLL_CALL_ROWS,
    SHARED_DATA,
    UNVOTES_ROWS,
    write_unvotes,
)
from testkit import (
    assert_one_error,
    fingerprint,
    load_file,
    query,
    release,
    scalar,
    write_votes,
)
from unga.loading import undl, unvotes

TABLES = ("raw.unvotes_votes", "raw.unvotes_roll_calls", "raw.unvotes_issues")


def state(db: Path) -> dict[str, object]:
    return {
        "votes": fingerprint(db, "raw.unvotes_votes", "source_row"),
        "roll_calls": fingerprint(db, "raw.unvotes_roll_calls", "source_row"),
        "issues": fingerprint(db, "raw.unvotes_issues", "source_row"),
        "rejected": fingerprint(db, "raw.unvotes_rejected_rows", "source_file, source_row, reason"),
        "log": fingerprint(db, "raw.load_log", "load_id"),
    }


def last_log(db: Path) -> dict[str, object]:
    columns = "load_id, source_kind, status, header_layout, rows_read, rows_loaded, rows_rejected"
    row = query(db, f"select {columns} from raw.load_log order by load_id desc limit 1")[0]
    return dict(zip(columns.split(", "), row, strict=True))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "unga.duckdb"


def test_loads_the_three_files(tmp_path: Path, db: Path, run_cli) -> None:
    folder = write_unvotes(tmp_path / "unvotes")
    result = run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db)
    assert result.code == 0, result.err
    assert "loaded 11 of 11 rows (0 rejected)" in result.err
    assert scalar(db, "select count(*) from raw.unvotes_votes") == len(UNVOTES_ROWS)
    assert scalar(db, "select count(*) from raw.unvotes_roll_calls") == len(ROLL_CALL_ROWS)
    assert scalar(db, "select count(*) from raw.unvotes_issues") == len(ISSUE_ROWS)
    log = last_log(db)
    assert log["source_kind"] == "unvotes"
    assert log["status"] == "loaded"
    assert log["header_layout"] == "unvotes-tidytuesday-2021"
    assert (log["rows_read"], log["rows_loaded"], log["rows_rejected"]) == (11, 11, 0)
    # Namibia's ISO code is NA and stays NA; the blank code of West Germany is missing
    codes = dict(query(db, "select country, country_code from raw.unvotes_votes where rcid = 1"))
    assert codes["Namibia"] == "NA"
    assert codes["Federal Republic of Germany"] is None
    # quotes and commas inside fields, blank flags, dates as dates
    rows = query(db, "select rcid, date, amend, descr from raw.unvotes_roll_calls order by rcid")
    assert str(rows[0][1]) == "1990-12-06"
    assert rows[0][3] == 'Text with a "quote", and a comma'
    assert rows[1][2] is None
    assert rows[1][3] == "TO ADOPT \\X\\\\"


def test_plain_csv_and_no_issues_file(tmp_path: Path, db: Path, run_cli) -> None:
    folder = write_unvotes(tmp_path / "plain", gz=False, issues=None)
    result = run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db)
    assert result.code == 0, result.err
    assert "no issues.csv" in result.err
    assert scalar(db, "select count(*) from raw.unvotes_issues") == 0
    assert last_log(db)["rows_read"] == len(UNVOTES_ROWS) + len(ROLL_CALL_ROWS)


def test_same_files_again_change_nothing_unless_forced(tmp_path: Path, db: Path, run_cli) -> None:
    folder = write_unvotes(tmp_path / "unvotes")
    assert run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db).code == 0
    before = state(db)
    again = run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db)
    assert again.code == 0
    assert "unchanged since the last load" in again.err
    after = state(db)
    assert {k: v for k, v in after.items() if k != "log"} == {
        k: v for k, v in before.items() if k != "log"
    }
    assert last_log(db)["status"] == "unchanged"
    forced = run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db, "--force")
    assert forced.code == 0
    assert last_log(db)["status"] == "loaded"
    assert scalar(db, "select count(distinct load_id) from raw.unvotes_votes") == 1


def test_a_new_release_replaces_the_previous_one(tmp_path: Path, db: Path, run_cli) -> None:
    run_cli("load", "--kind", "unvotes", "--source", write_unvotes(tmp_path / "a"), "--db", db)
    smaller = write_unvotes(tmp_path / "b", votes=UNVOTES_ROWS[:2])
    assert run_cli("load", "--kind", "unvotes", "--source", smaller, "--db", db).code == 0
    assert scalar(db, "select count(*) from raw.unvotes_votes") == 2
    assert scalar(db, "select count(distinct load_id) from raw.unvotes_votes") == 1


def test_bad_rows_are_rejected_with_the_reason(tmp_path: Path, db: Path, run_cli) -> None:
    votes = [
        *UNVOTES_ROWS,
        (1, "United States", "US", "no"),  # duplicate of row 1
        ("x1", "France", "FR", "yes"),
        (1, "", "FR", "yes"),
        (1, "France", "FR", "maybe"),
        (1, "France", "FR"),  # a field short
    ]
    roll_calls = [
        *ROLL_CALL_ROWS,
        (3, 45, 0, "06/12/1990", "R/45/12", 0, 0, "", ""),
        (4, "x", 0, "1990-12-06", "R/45/13", 0, 0, "", ""),
        (1, 45, 0, "1990-12-06", "R/45/11", 0, 0, "", ""),
    ]
    issues = [*ISSUE_ROWS, (2, "", "blank code")]
    folder = write_unvotes(tmp_path / "u", votes=votes, roll_calls=roll_calls, issues=issues)
    result = run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db)
    assert result.code == 0, result.err
    assert "raw.unvotes_rejected_rows" in result.err
    rejected = query(
        db,
        "select source_file, source_row, reason from raw.unvotes_rejected_rows "
        "order by source_file, source_row",
    )
    reasons = {(f.split(".")[0], row): reason for f, row, reason in rejected}
    assert reasons[("unvotes", 8)] == "duplicate of row 1 (same rcid and country)"
    assert reasons[("unvotes", 9)] == "rcid is not a whole number: x1"
    assert reasons[("unvotes", 10)] == "missing country"
    assert reasons[("unvotes", 11)] == "bad vote maybe (expected yes, no or abstain)"
    assert reasons[("unvotes", 12)] == "expected 4 fields, found 3"
    assert reasons[("roll_calls", 3)] == "bad date 06/12/1990 (expected YYYY-MM-DD)"
    assert reasons[("roll_calls", 4)] == "bad session x (expected a whole number)"
    assert reasons[("roll_calls", 5)] == "duplicate of row 1 (same rcid)"
    assert reasons[("issues", 3)] == "missing short_name (the issue code)"
    log = last_log(db)
    assert log["rows_read"] == log["rows_loaded"] + log["rows_rejected"]
    assert log["rows_rejected"] == len(rejected) == 9
    # the row as read is kept
    record = scalar(
        db,
        "select record ->> 'vote' from raw.unvotes_rejected_rows "
        "where source_file like 'unvotes%' and source_row = 11",
    )
    assert record == "maybe"


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        (lambda p: p / "missing", ("does not exist",)),
        (lambda p: write_votes(p / "a.csv", release(1)), ("is not a folder", "unvotes.csv")),
        (lambda p: (p / "empty").mkdir() or p / "empty", ("has no unvotes.csv",)),
        (
            lambda p: write_unvotes(p / "h", votes_header=("rcid", "country", "ballot")),
            ("missing column(s) vote",),
        ),
    ],
    ids=["missing", "a-file", "empty-folder", "wrong-header"],
)
def test_user_mistakes_are_one_sentence(
    tmp_path: Path, db: Path, run_cli, make, fragments: tuple[str, ...]
) -> None:
    write_votes(tmp_path / "undl.csv", release(1))
    assert run_cli("load", "--source", tmp_path / "undl.csv", "--db", db).code == 0
    before = state(db)
    result = run_cli("load", "--kind", "unvotes", "--source", make(tmp_path), "--db", db)
    assert result.code == 2
    assert_one_error(result.err, *fragments)
    assert state(db) == before


def test_truncated_gzip_is_one_sentence(tmp_path: Path, db: Path, run_cli) -> None:
    folder = write_unvotes(tmp_path / "u")
    data = (folder / "unvotes.csv.gz").read_bytes()
    (folder / "unvotes.csv.gz").write_bytes(data[:-10])
    result = run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "unvotes.csv.gz", "truncated")


def test_nothing_loadable_rolls_back(tmp_path: Path, db: Path, run_cli) -> None:
    folder = write_unvotes(tmp_path / "ok")
    assert run_cli("load", "--kind", "unvotes", "--source", folder, "--db", db).code == 0
    before = state(db)
    bad = write_unvotes(
        tmp_path / "bad",
        votes=[("x", "France", "FR", "yes")],
        roll_calls=[("y", 1, 0, "1990-01-01", "R/1/1", 0, 0, "", "")],
        issues=[],
    )
    result = run_cli("load", "--kind", "unvotes", "--source", bad, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "none of the 2 rows", "rcid is not a whole number")
    assert state(db) == before


def test_undl_loads_stay_idempotent_beside_unvotes_loads(tmp_path: Path, db: Path) -> None:
    """The UN Digital Library file loaded again after an unvotes load is still 'unchanged'."""
    undl_file = write_votes(tmp_path / "undl.csv.gz", release(1))
    assert load_file(undl.KIND, undl_file, db, "undl").status == "loaded"
    folder = write_unvotes(tmp_path / "u")
    assert load_file(unvotes.KIND, folder, db, "unvotes").status == "loaded"
    assert load_file(undl.KIND, undl_file, db, "undl").status == "unchanged"
    assert load_file(unvotes.KIND, folder, db, "unvotes").status == "unchanged"
    kinds = query(db, "select source_kind, status from raw.load_log order by load_id")
    assert kinds == [
        ("undl", "loaded"),
        ("unvotes", "loaded"),
        ("undl", "unchanged"),
        ("unvotes", "unchanged"),
    ]
    # an UNDL load leaves the unvotes rows alone, and the other way round
    assert scalar(db, "select count(*) from raw.ga_votes") == 6
    assert scalar(db, "select count(*) from raw.unvotes_votes") == len(UNVOTES_ROWS)


REAL = SHARED_DATA / "unvotes"


@pytest.mark.real_data
@pytest.mark.skipif(not (REAL / "unvotes.csv.gz").is_file(), reason=f"no real data at {REAL}")
def test_real_unvotes_files_load_whole(db: Path) -> None:
    report = load_file(unvotes.KIND, REAL, db)
    assert (report.rows_read, report.rows_rejected) == (882_057, 0)
    assert scalar(db, "select count(*) from raw.unvotes_votes") == 870_109
    assert scalar(db, "select count(*) from raw.unvotes_roll_calls") == 6_203
    assert scalar(db, "select count(*) from raw.unvotes_issues") == 5_745
    assert scalar(db, "select count(*) from raw.unvotes_votes where country_code = 'NA'") > 2000
    with gzip.open(REAL / "roll_calls.csv.gz", "rt") as handle:
        assert handle.readline().startswith("rcid,session,importantvote,date,unres")
