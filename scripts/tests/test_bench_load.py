"""The load benchmark (`make bench-load`) on the real files: it runs and reports, and the Voeten
file it writes from the unvotes files loads whole (the full-size test of Voeten's layout)."""

from __future__ import annotations

import re
from pathlib import Path

import bench_load
import pytest
from conftest import REAL_FILE
from extra_sources_kit import SHARED_DATA
from testkit import load_file, scalar
from unga.loading import voeten

pytestmark = pytest.mark.real_data


@pytest.mark.skipif(not REAL_FILE.is_file(), reason=f"no real data at {REAL_FILE}")
def test_the_load_benchmark_reports_the_ratios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "nowhere"
    arguments = ["--undl", REAL_FILE, "--runs", 1, "--unvotes", nowhere, "--dgacm", nowhere]
    code = bench_load.main([str(a) for a in arguments])
    out = capsys.readouterr().out
    assert code == 0
    rows = [line.split(" | ")[0] for line in out.splitlines() if " s | " in line]
    assert rows == [
        "| DuckDB counts the rows: `read_csv(..., all_varchar = true)`",
        "| DuckDB reads them into a table of a new file",
        "| `unga load` of the UN Digital Library file",
    ]
    assert re.search(r"load takes [0-9.]+ times the wall time of DuckDB reading the file", out)


@pytest.mark.skipif(
    not (SHARED_DATA / "unvotes" / "unvotes.csv.gz").is_file(), reason="no real unvotes files"
)
def test_voeten_layout_written_from_the_unvotes_files_loads_whole(tmp_path: Path) -> None:
    path = bench_load.dataverse_file(SHARED_DATA / "unvotes", tmp_path / "UNVotes.csv")
    db = tmp_path / "unga.duckdb"
    report = load_file(voeten.KIND, path, db)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (870_109, 870_109, 0)
    assert scalar(db, "select count(distinct rcid) from raw.voeten_votes") == 6_203
