"""Ideal points on the real data (the warehouse built once per session from ../shared/data):
the quality targets against Voeten's published estimates, the scale's face validity, the reuse
of an unchanged estimate, and the README's examples as printed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import SHARED_DATA, Built
from testkit import REPO
from unga.ideal_points.compare import compare

VOETEN_FILE = SHARED_DATA / "voeten_ideal_points" / "IdealpointestimatesAll_Apr2020.csv"
README_FILE_PLACEHOLDER = "/path/to/IdealpointestimatesAll_Apr2020.csv"


def _voeten_file() -> Path:
    if not VOETEN_FILE.is_file():
        pytest.skip(f"Voeten's ideal points not found at {VOETEN_FILE}")
    return VOETEN_FILE


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_meets_the_quality_targets_against_voeten(built: Built) -> None:
    result = compare(built.db, _voeten_file())
    a = result.agreement
    assert a.n_matched > 10_000
    assert a.pooled_correlation >= 0.95
    assert a.median_year_correlation >= 0.95
    assert a.lowest_year_correlation_from_1950 >= 0.80
    assert a.meets_targets


def test_the_scale_reads_as_documented(built: Built) -> None:
    ranks = _rows(
        built.db,
        """
        with ranked as (
            select
                country_code,
                year,
                rank() over (partition by year order by ideal_point desc) as from_top,
                percent_rank() over (partition by year order by ideal_point) as share_below
            from marts.fct_ideal_points
        )
        select
            max(from_top) filter (where country_code = 'USA' and year >= 1975),
            max(share_below) filter (where country_code = 'SUN' and year <= 1985),
            min(share_below) filter (where country_code = 'ISR' and year >= 1975),
            count(*) filter (where country_code = 'USA')
        from ranked
        """,
    )[0]
    usa_worst_rank, ussr_highest_share, israel_lowest_share, usa_years = ranks
    assert usa_worst_rank <= 2  # the United States first or second every year since 1975
    assert ussr_highest_share < 0.1  # the USSR in the lowest tenth every year to 1985
    assert israel_lowest_share > 0.9  # Israel in the highest tenth every year since 1975
    assert usa_years >= 79  # every year with votes, 1946-2025 but 1964


def test_an_unchanged_build_reuses_the_estimate(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "unga.duckdb"
    shutil.copy2(built.db, db)
    before = _rows(db, "select * from intermediate.int_ideal_points_estimated order by 1, 2")
    env = built.env | {
        "UNGA_DB": str(db),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    dbt = Path(sys.executable).with_name("dbt")
    completed = subprocess.run(
        [str(dbt), "run", "--select", "int_ideal_points_estimated", "--project-dir", str(REPO),
         "--profiles-dir", str(REPO)],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=600, check=False,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-3000:]
    assert "unchanged since the last estimate; reusing it" in output
    assert "ideal points: step" not in output
    after = _rows(db, "select * from intermediate.int_ideal_points_estimated order by 1, 2")
    assert after == before


def _readme_section() -> str:
    text = (REPO / "README.md").read_text()
    start = text.index("## Ideal points")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_readme_ideal_point_examples_run_as_printed(built: Built) -> None:
    section = _readme_section()
    blocks = re.findall(r"```(sh|python)\n(.*?)```", section, flags=re.S)
    assert {kind for kind, _ in blocks} == {"sh", "python"}
    # as printed, but with the test's warehouse and Voeten's file where the README has its own
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")}
    env["UNGA_DB"] = str(built.db)
    for kind, code in blocks:
        code = code.replace("warehouse/serving.duckdb", str(built.db.parent / "serving.duckdb"))
        code = code.replace(README_FILE_PLACEHOLDER, str(_voeten_file()))
        command = ["bash", "-c", code] if kind == "sh" else [sys.executable, "-c", code]
        completed = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=REPO, timeout=300, check=False
        )
        assert completed.returncode == 0, completed.stderr[-2000:]
        assert completed.stdout.strip(), code
        if kind == "sh":
            assert "pooled correlation" in completed.stdout
        else:
            assert "ideal_point" in completed.stdout
