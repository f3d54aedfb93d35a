"""`unga build`: works on a copy of the warehouse and swaps it in only when everything succeeded.

dbt is replaced by a fake (see conftest.fake_dbt) that records how it was called, changes the
warehouse it was handed, and succeeds or fails on demand; the real dbt runs in test_end_to_end.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import (
    REPO,
    FakeDbt,
    assert_one_error,
    query,
    release,
    scalar,
    sha256_file,
    truncate,
    vote_row,
    write_votes,
)
from unga import pipeline


def work_dir(db: Path) -> Path:
    return db.with_name(f".{db.stem}.build")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "unga.duckdb"


@pytest.fixture
def built(tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt) -> Path:
    """A warehouse built (with the fake dbt) from release 1."""
    source = write_votes(tmp_path / "release1.csv.gz", release(1))
    result = run_cli("build", "--source", source, "--db", db)
    assert result.code == 0, result.err
    assert scalar(db, "select n from marts.fake_build") == 6
    return db


def test_build_runs_dbt_on_a_copy_and_swaps_it_in(
    tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    source = write_votes(tmp_path / "v.csv", release(2))
    result = run_cli("build", "--source", source, "--db", db)
    assert result.code == 0, result.err
    assert "loaded 9 of 9 rows (0 rejected)" in result.err
    assert f"warehouse built: {db}" in result.err
    [call] = fake_dbt.calls()
    assert call["argv"] == [
        "build",
        "--project-dir",
        str(REPO),
        "--profiles-dir",
        str(REPO),
    ]
    assert call["db"] == str(work_dir(db.resolve()) / "unga.duckdb")
    assert call["cwd"] == str(REPO)
    # what dbt built in the copy is what the warehouse now holds
    assert scalar(db, "select n from marts.fake_build") == 9
    assert scalar(db, "select count(*) from raw.ga_votes") == 9
    assert not work_dir(db).exists()
    # beside the warehouse: its lock, and what the build published (serving copy, Parquet set)
    assert sorted(p.name for p in db.parent.iterdir()) == [
        ".serving.duckdb.publish.lock", ".unga.duckdb.build.lock",
        "parquet", "parquet.versions", "serving.duckdb", "unga.duckdb",
    ]  # fmt: skip


def test_dbt_arguments_after_double_dash(
    tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    source = write_votes(tmp_path / "v.csv", release(1))
    vars_ = "{start_year: 2020, end_year: 2021}"
    result = run_cli("build", "--source", source, "--db", db, "--", "--vars", vars_, "-s", "x")
    assert result.code == 0, result.err
    assert fake_dbt.calls()[0]["argv"][5:] == ["--vars", vars_, "-s", "x"]


def test_build_without_source_rebuilds_from_the_warehouse(
    built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    log_before = query(built, "select * from raw.load_log")
    result = run_cli("build", "--db", built)
    assert result.code == 0, result.err
    assert len(fake_dbt.calls()) == 2
    assert query(built, "select * from raw.load_log") == log_before


def test_build_without_source_on_an_empty_warehouse(db: Path, run_cli, fake_dbt: FakeDbt) -> None:
    """No source and no votes: the newest release is looked for on the record, which cannot be
    reached here (test_releases.py has it reached)."""
    result = run_cli("build", "--db", db)
    assert result.code == 2
    assert_one_error(
        result.err, "the warehouse holds no votes yet and could not reach", "UNGA_SOURCE="
    )
    assert fake_dbt.calls() == []
    assert not db.exists()
    assert not work_dir(db).exists()


def test_unchanged_source_still_runs_dbt(
    tmp_path: Path, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    result = run_cli("build", "--source", tmp_path / "release1.csv.gz", "--db", built)
    assert result.code == 0, result.err
    assert "source unchanged since the last load" in result.err
    assert len(fake_dbt.calls()) == 2
    statuses = query(built, "select status from raw.load_log order by load_id")
    assert statuses == [("loaded",), ("unchanged",)]


def test_force_reloads(tmp_path: Path, built: Path, run_cli, fake_dbt: FakeDbt) -> None:
    source = tmp_path / "release1.csv.gz"
    result = run_cli("build", "--source", source, "--db", built, "--force")
    assert result.code == 0, result.err
    assert query(built, "select load_id, count(*) from raw.ga_votes group by 1") == [(2, 6)]


def test_failing_dbt_leaves_the_warehouse(
    tmp_path: Path, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    before = sha256_file(built)
    fake_dbt.fail()
    source = write_votes(tmp_path / "release2.csv", release(2))
    result = run_cli("build", "--source", source, "--db", built)
    assert result.code == 1
    line = assert_one_error(result.err, "dbt build failed")
    assert f"the warehouse {built} was left as it was" in line
    assert "loaded 9 of 9 rows" in result.err  # the load into the copy had worked
    assert len(fake_dbt.calls()) == 2
    assert sha256_file(built) == before
    assert not work_dir(built).exists()
    assert scalar(built, "select count(*) from raw.ga_votes") == 6
    # and a later good build goes through
    fake_dbt.fail(False)
    assert run_cli("build", "--source", source, "--db", built).code == 0
    assert scalar(built, "select n from marts.fake_build") == 9


def test_failing_dbt_on_a_new_warehouse_creates_nothing(
    tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    fake_dbt.fail()
    source = write_votes(tmp_path / "v.csv", release(1))
    result = run_cli("build", "--source", source, "--db", db)
    assert result.code == 1
    assert_one_error(result.err, "dbt build failed")
    assert not db.exists()
    assert not work_dir(db).exists()


@pytest.mark.parametrize("kind", ["header", "truncated-gzip", "only-bad-rows", "missing"])
def test_failing_load_leaves_the_warehouse(
    tmp_path: Path, built: Path, run_cli, fake_dbt: FakeDbt, kind: str
) -> None:
    if kind == "header":
        source = write_votes(tmp_path / "b.csv", release(2), header=["a", "b"])
        message = "the header is not a UN Digital Library voting-data header"
    elif kind == "truncated-gzip":
        source = truncate(write_votes(tmp_path / "b.csv.gz", release(2)), 12)
        message = "b.csv.gz is truncated or not a valid gzip file"
    elif kind == "only-bad-rows":
        source = write_votes(tmp_path / "b.csv", [vote_row(ms_vote="?")])
        message = "none of the 1 rows could be loaded"
    else:
        source = tmp_path / "nowhere.csv.gz"
        message = "does not exist"
    before = sha256_file(built)
    result = run_cli("build", "--source", source, "--db", built)
    assert result.code == 2
    assert_one_error(result.err, message)
    assert f"the warehouse {built} was left as it was" in result.err
    assert len(fake_dbt.calls()) == 1  # dbt did not run again
    assert sha256_file(built) == before
    assert not work_dir(built).exists()


def test_another_build_running(tmp_path: Path, built: Path, run_cli, fake_dbt: FakeDbt) -> None:
    before = sha256_file(built)
    lock_path = built.with_name(".unga.duckdb.build.lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_cli("build", "--source", tmp_path / "release1.csv.gz", "--db", built)
    assert result.code == 2
    assert_one_error(result.err, "another build of")
    assert sha256_file(built) == before
    assert len(fake_dbt.calls()) == 1


def test_stale_working_folder_is_cleared(
    tmp_path: Path, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    stale = work_dir(built)
    stale.mkdir()
    (stale / "unga.duckdb").write_bytes(b"left over from a killed build")
    source = write_votes(tmp_path / "release2.csv", release(2))
    assert run_cli("build", "--source", source, "--db", built).code == 0
    assert not stale.exists()
    assert scalar(built, "select count(*) from raw.ga_votes") == 9


READER = """
import duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
count = "select count(*) from raw.ga_votes"
print(con.execute(count).fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute(count).fetchone()[0], flush=True)
"""


def test_reader_does_not_block_a_build(
    tmp_path: Path, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    """A process reading the warehouse keeps its view; the build still swaps the new file in."""
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(built)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "6"
        source = write_votes(tmp_path / "release2.csv", release(2))
        result = run_cli("build", "--source", source, "--db", built)
        reader.stdin.write("\n")
        reader.stdin.flush()
        second = reader.stdout.readline().strip()
    finally:
        reader.communicate(timeout=30)
    assert result.code == 0, result.err
    assert second == "6"  # the open reader still sees the release it opened
    assert reader.returncode == 0
    assert scalar(built, "select count(*) from raw.ga_votes") == 9  # new readers see the new one


def test_has_votes(tmp_path: Path, built: Path) -> None:
    assert pipeline.has_votes(built)
    assert not pipeline.has_votes(tmp_path / "nothing.duckdb")
