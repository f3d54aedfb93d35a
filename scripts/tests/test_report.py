"""`unga report` on the real serving copy, for the build's selection and others, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Published
from testkit import assert_one_error

CHARTS = [
    "agreement_index.png", "cohen_kappa.png", "identical_share.png", "s_score.png",
    "splits.png", "topics.png",
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
        "By share of identical votes: China (0.818) > Russian Federation (0.694) > Germany" in text
    )
    assert "| Ukraine | 2014-03-27 | A/RES/68/262 |" in text
    assert "**Foreign policy only** (" in text
    # every source file loaded, named with its full sha256, from the manifest
    for source in published.manifest["sources"]:
        assert f"`{source['file_name']}`, sha256 `{source['sha256']}`" in text
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
