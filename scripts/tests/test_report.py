"""`unga report` on the real warehouse, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Built
from testkit import assert_one_error


@pytest.mark.real_data
def test_report_has_the_roll_calls_ranking_and_charts(
    built: Built, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "focal_cohesion.md"
    result = run_cli("report", "--db", built.db, "--out", out)
    assert result.code == 0, result.err
    text = out.read_text()
    assert "# Voting cohesion of Kazakhstan (KAZ) in the UN General Assembly, 2007-2022" in text
    assert "**1,319 recorded votes**" in text
    assert (
        "By share of identical votes: China (0.818) > Russian Federation (0.694) > Germany" in text
    )
    assert "| Ukraine | 2014-03-27 | A/RES/68/262 |" in text
    charts = sorted(p.name for p in out.parent.glob("*.png"))
    assert charts == [
        "focal_cohesion_agreement_index.png", "focal_cohesion_cohen_kappa.png",
        "focal_cohesion_identical_share.png", "focal_cohesion_s_score.png",
        "focal_cohesion_splits.png", "focal_cohesion_topics.png",
    ]  # fmt: skip
    assert "**Foreign policy only** (" in text
    for chart in charts:
        data = (out.parent / chart).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000
        assert f"({chart})" in text


@pytest.mark.real_data
def test_report_rejects_an_unknown_measure(built: Built, run_cli, tmp_path: Path) -> None:
    result = run_cli("report", "--db", built.db, "--out", tmp_path / "r.md", "--measures", "nope")
    assert result.code == 2
    assert_one_error(result.err, "unknown measure nope")


def test_report_without_a_warehouse_says_to_build(run_cli, tmp_path: Path) -> None:
    result = run_cli("report", "--db", tmp_path / "none.duckdb", "--out", tmp_path / "r.md")
    assert result.code == 2
    assert_one_error(result.err, "run `make build` first")
