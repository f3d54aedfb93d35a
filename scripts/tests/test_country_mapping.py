"""Country mapping with the real dbt on small files: names, official ms_code, unmapped names."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
from conftest import run_unga
from testkit import REPO, release, vote_row, write_votes


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")}
    return env | {
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }


def _dbt_build_mapping(env: dict[str, str], db: Path) -> subprocess.CompletedProcess[str]:
    """dbt build of int_votes_mapped and what it needs, without the data tests of the marts."""
    return subprocess.run(
        [str(REPO / ".venv" / "bin" / "dbt"), "build", "--project-dir", str(REPO),
         "--profiles-dir", str(REPO), "--select", "+int_votes_mapped",
         "--exclude", "test_type:data"],
        env=env | {"UNGA_DB": str(db)}, cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_an_unmapped_name_stops_the_build_with_the_name(tmp_path: Path) -> None:
    rows = [*release(1), vote_row(1001, "ATLANTIS", "Y", ms_code="")]
    source = write_votes(tmp_path / "votes.csv", rows)
    db = tmp_path / "warehouse" / "unga.duckdb"
    env = _env(tmp_path)
    assert run_unga(env, "load", "--source", source, "--db", db).returncode == 0
    done = _dbt_build_mapping(env, db)
    assert done.returncode == 1
    assert "unmapped member-state name: ATLANTIS; add it to seeds/country_names.csv" in done.stdout


def test_an_unmapped_name_leaves_the_warehouse_unbuilt(tmp_path: Path) -> None:
    rows = [*release(1), vote_row(1001, "ATLANTIS", "Y", ms_code="")]
    source = write_votes(tmp_path / "votes.csv", rows)
    db = tmp_path / "warehouse" / "unga.duckdb"
    done = run_unga(_env(tmp_path), "build", "--source", source, "--db", db)
    assert done.returncode == 1
    assert "unmapped member-state name: ATLANTIS" in done.stdout
    assert "was left as it was" in done.stderr
    assert not db.exists()


def test_names_map_through_the_crosswalk_and_unknown_names_through_ms_code(
    tmp_path: Path,
) -> None:
    rows = [
        vote_row(1001, "USSR", "Y", date="1990-12-07", session="45", ms_code="RUS"),
        vote_row(1001, "GERMANY, FEDERAL REPUBLIC OF", "N", date="1990-12-07", session="45"),
        vote_row(1001, "REPUBLIC OF ATLANTIS", "A", date="1990-12-07", session="45", ms_code="fra"),
    ]
    source = write_votes(tmp_path / "votes.csv.gz", rows)
    db = tmp_path / "warehouse" / "unga.duckdb"
    env = _env(tmp_path)
    assert run_unga(env, "load", "--source", source, "--db", db).returncode == 0
    done = _dbt_build_mapping(env, db)
    assert done.returncode == 0, done.stdout[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        mapped = con.execute(
            "select member_state_name, country_code, mapped_by from intermediate.int_votes_mapped"
        ).fetchall()
    finally:
        con.close()
    assert sorted(mapped) == [
        ("GERMANY, FEDERAL REPUBLIC OF", "DEU", "name"),
        ("REPUBLIC OF ATLANTIS", "FRA", "ms_code"),
        ("USSR", "SUN", "name"),
    ]
