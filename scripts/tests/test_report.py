"""`unga report` on the real serving copy, for the build's selection and others, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Published
from testkit import assert_one_error
from unga import report

CHARTS = [
    "agreement_index.png", "cohen_kappa.png", "ideal_points.png", "identical_share.png",
    "s_score.png", "splits.png", "topics.png",
]  # fmt: skip


@pytest.mark.real_data
def test_report_of_the_build_selection(
    published: Published, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGA_REPORTS", str(tmp_path / "reports"))
    result = run_cli("report", "--serving", published.serving)
    assert result.code == 0, result.err
    out = tmp_path / "reports" / "KAZ_2007-2022_RUS-CHN-USA-DEU" / "report.md"
    assert f"report written: {out}" in result.err
    text = out.read_text()
    assert "# Voting cohesion of Kazakhstan (KAZ) in the UN General Assembly, 2007-2022" in text
    assert "**1,319 recorded votes**" in text
    assert (
        "- Share of identical votes: China (0.818; voted on 98.7%) > Russian Federation (0.694; "
        "voted on 99.5%) > Germany (0.577; voted on 99.8%) > United States of America" in text
    )
    assert "Kazakhstan voted (yes, no or abstain) on 98.2% of the roll calls" in text
    assert "partial year" not in text  # 2007-2022 are complete
    assert "| reference | Share of identical votes | Agreement index (Lijphart) |" in text
    assert "| Ukraine | 2014-03-27 | A/RES/68/262 |" in text
    assert "**Foreign policy only** (" in text
    # every source file loaded, named with its full sha256, from the manifest
    for source in published.manifest["sources"]:
        assert f"`{source['release_file']}`, sha256 `{source['sha256']}`" in text
    # the focal country and the references on the ideal-point scale, closest first
    assert "## On the ideal-point scale" in text
    assert text.index("| China | -") < text.index("| United States of America | 3")
    assert sorted(p.name for p in out.parent.glob("*.png")) == CHARTS
    for chart in CHARTS:
        data = (out.parent / chart).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000
        assert f"({chart})" in text


@pytest.mark.real_data
def test_report_of_another_selection_goes_to_its_own_folder(
    published: Published, run_cli, tmp_path: Path
) -> None:
    out = tmp_path / "tur"
    result = run_cli(
        "report", "--serving", published.serving, "--focal", "tur", "--references",
        "RUS,USA,DEU,CHN", "--start", "2000", "--end", "2024", "--out-dir", out,
        "--measures", "scott_pi",
    )  # fmt: skip
    assert result.code == 0, result.err
    text = (out / "report.md").read_text()
    assert "# Voting cohesion of Türkiye (TUR) in the UN General Assembly, 2000-2024" in text
    assert "Reference countries: Russian Federation (RUS), United States of America (USA)" in text
    assert (out / "scott_pi.png").is_file() and not (out / "identical_share.png").exists()


@pytest.mark.real_data
def test_report_flags_the_partial_year(published: Published, run_cli, tmp_path: Path) -> None:
    result = run_cli(
        "report", "--serving", published.serving, "--focal", "KAZ", "--references", "RUS,UKR",
        "--start", "2020", "--end", "2025", "--out-dir", tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.err
    text = (tmp_path / "report.md").read_text()
    assert "**2025 is a partial year**: the data end on 2025-10-29 (34 roll calls in 2025)" in text
    assert "| 2025 (partial) |" in text and "| 2024 |" in text


@pytest.mark.parametrize(
    ("first", "last", "ticks"),
    [
        (2007, 2022, [2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022]),
        (2018, 2022, [2018, 2019, 2020, 2021, 2022]),
        (1946, 2025, [1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020]),
        (2000, 2025, [2000, 2005, 2010, 2015, 2020, 2025]),
    ],
)
def test_year_ticks_stay_readable(first: int, last: int, ticks: list[int]) -> None:
    assert report.year_ticks(list(range(first, last + 1))) == ticks


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--measures", "nope"), "unknown measure nope"),
        (("--focal", "XXX"), "unknown country code 'XXX'"),
        (("--start", "1900", "--end", "1901"), "no roll calls in 1900-1901"),
    ],
)
def test_report_errors(
    published: Published, run_cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("report", "--serving", published.serving, "--out-dir", tmp_path, *args)
    assert result.code == 2
    assert_one_error(result.err, message)


def test_report_without_a_serving_copy_says_to_build(run_cli, tmp_path: Path) -> None:
    result = run_cli("report", "--db", tmp_path / "none.duckdb")
    assert result.code == 2
    assert_one_error(result.err, "no serving copy", "make build")
