"""The whole build on the real UN Digital Library file (skipped when the file is not there).

The file is looked for in $UNGA_SHARED_DATA/undl/ga_voting.csv.gz (default: ../shared/data
beside the repository). One `unga build` with the real dbt runs once for the session; the tests
then read the warehouse it built.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REAL_FILE, Built, run_unga
from testkit import (
    assert_one_error,
    query,
    release,
    scalar,
    sha256_file,
    truncate,
    write_votes,
)

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(not REAL_FILE.is_file(), reason=f"real data not found at {REAL_FILE}"),
]


def test_build_reports_the_load(built: Built) -> None:
    assert "loaded 917,380 of 917,380 rows (0 rejected)" in built.stderr
    assert f"warehouse built: {built.db}" in built.stderr
    assert "Traceback" not in built.stderr


def test_votes_by_code(built: Built) -> None:
    assert scalar(built.db, "select count(*) from marts.fct_votes") == 917_380
    by_vote = dict(query(built.db, "select vote, count(*) from marts.fct_votes group by 1"))
    assert by_vote == {"Y": 686_786, "N": 45_499, "A": 99_159, "X": 85_936}


def test_roll_calls_and_years(built: Built) -> None:
    assert scalar(built.db, "select count(*) from marts.dim_roll_calls") == 5_539
    assert query(built.db, "select min(year), max(year) from marts.fct_votes") == [(1946, 2025)]
    symbols = query(
        built.db,
        "select resolution_symbol from marts.dim_roll_calls "
        "where resolution_symbol in ('A/RES/68/262', 'A/RES/ES-11/1') order by 1",
    )
    assert symbols == [("A/RES/68/262",), ("A/RES/ES-11/1",)]


def test_raw_load(built: Built) -> None:
    assert scalar(built.db, "select count(*) from raw.rejected_rows") == 0
    [last] = query(
        built.db,
        "select status, header_layout, rows_read, rows_loaded, rows_rejected, file_name, sha256 "
        "from raw.load_log where source_kind = 'undl' order by load_id desc limit 1",
    )
    assert last[:5] == ("loaded", "undl-2026-with-vote-note", 917_380, 917_380, 0)
    assert last[5] == "ga_voting.csv.gz"
    assert last[6] == sha256_file(REAL_FILE)


def test_every_vote_has_a_country(built: Built) -> None:
    orphans = scalar(
        built.db,
        "select count(*) from marts.fct_votes as v "
        "where v.country_code is null "
        "or v.country_code not in (select country_code from marts.dim_countries)",
    )
    assert orphans == 0


def test_vote_count_audit(built: Built) -> None:
    by_issue = query(
        built.db,
        "select issue, count(*), count(*) filter (where is_reviewed) "
        "from audit.vote_count_mismatches group by 1 order by 1",
    )
    assert by_issue == [("no published totals", 9, 0), ("totals disagree", 20, 20)]
    assert query(
        built.db,
        "select published_yes, counted_yes from audit.vote_count_mismatches "
        "where resolution_symbol = 'A/RES/ES-10/6'",
    ) == [(172, 115)]


@pytest.fixture
def warehouse_copy(built: Built, tmp_path: Path) -> Path:
    """A copy of the built warehouse, so that the failing builds below cannot spoil `built`."""
    copy = tmp_path / "warehouse" / "unga.duckdb"
    copy.parent.mkdir()
    shutil.copy2(built.db, copy)
    return copy


@pytest.mark.parametrize("kind", ["broken-header", "truncated-gzip"])
def test_failing_build_keeps_the_real_warehouse(
    built: Built, warehouse_copy: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "broken-header":
        header = ["undl_id", "member_state", "vote"]
        source = write_votes(tmp_path / "broken.csv", release(2), header=header)
        message = "the header is not a UN Digital Library voting-data header"
    else:
        source = truncate(write_votes(tmp_path / "cut.csv.gz", release(2)), 9)
        message = "cut.csv.gz is truncated or not a valid gzip file"
    before = sha256_file(warehouse_copy)
    completed = run_unga(built.env, "build", "--source", source, "--db", warehouse_copy)
    assert completed.returncode == 2
    assert_one_error(completed.stderr, message)
    assert sha256_file(warehouse_copy) == before
    assert scalar(warehouse_copy, "select count(*) from marts.fct_votes") == 917_380
    assert not warehouse_copy.with_name(".unga.build").exists()
