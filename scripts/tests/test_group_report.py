"""`unga group-report` on the real serving copy: what it writes and that its figures are the
analyses', and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Published
from testkit import assert_one_error
from unga import groups, serving


@pytest.mark.real_data
def test_group_report_figures_come_from_the_analyses(
    published: Published, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "eu"
    result = run_cli(
        "group-report", "--serving", published.serving, "--groups", "eu,NATO,G7",
        "--focal", "tur", "--start", "2010", "--end", "2020", "--out-dir", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert f"report written: {out / 'report.md'}" in result.err
    text = (out / "report.md").read_text()
    assert "# Groups of states in the UN General Assembly, 2010-2020: EU, NATO, G7" in text
    selection = groups.GroupSelection(("EU", "NATO", "G7"), 2010, 2020, "TUR")
    con = serving.connect(published.serving, groups.REQUIRED)
    try:
        window = groups.focal_against_groups(con, selection)
        breakaway = groups.members_breaking_away(con, selection)
    finally:
        con.close()
    # the ranking of the groups for Türkiye, as the analysis gives it
    for row in window[window.period_type == "window"].itertuples():
        assert (
            f"| {row.rank_identical_share} | {row.group_code} | {row.group_name} | "
            f"{row.identical_share:.3f} |"
        ) in text
    first = breakaway.iloc[0]
    assert (
        f"| {first.group_code} | 1 | {first.country_name} | {first.identical_share:.3f} |" in text
    )
    for chart in ("group_cohesion.png", "country_against_groups.png"):
        data = (out / chart).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000
        assert f"({chart})" in text
    # every source file loaded, named with its sha256, from the manifest
    for source in published.manifest["sources"]:
        assert f"sha256 `{source['sha256']}`" in text


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--groups", "EU,XYZ"), "unknown group code 'XYZ'"),
        (("--groups", "EU", "--focal", "ZZZ"), "unknown country code 'ZZZ'"),
        (("--groups", ","), "pick at least one group"),
    ],
)
def test_group_report_errors(
    published: Published, run_cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    base = {"--focal": "KAZ", "--start": "2000", "--end": "2010"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [a for pair in (base | given).items() for a in pair]
    result = run_cli("group-report", "--serving", published.serving, "--out-dir", tmp_path, *argv)
    assert result.code == 2
    assert_one_error(result.err, message)


def test_group_report_without_a_serving_copy_says_to_build(run_cli, tmp_path: Path) -> None:
    result = run_cli(
        "group-report", "--db", tmp_path / "none.duckdb", "--groups", "EU", "--focal", "FRA",
        "--start", "2000", "--end", "2001",
    )  # fmt: skip
    assert result.code == 2
    assert_one_error(result.err, "no serving copy", "make build")
