"""The README's commands and examples, run as printed on the real data.

The code blocks are read from README.md itself, so that what a reader copies is what is tested:
the first command (`UNGA_SOURCE=... make build`, which is the session's build, conftest.built),
`make build` alone and `make update` against the UN Digital Library's record played by the
local server with the real file as its newest release, the Python example on the published
serving copy, the report for another selection, and the build for another country followed by
`make report` (as printed for Belarus, and the same command for Türkiye against Russia, the
United States, Germany and China), with the var-driven marts checked against the analyses they
select from.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import FIRST_COMMAND, REAL_FILE, Built, Published, nowhere, offline
from release_kit import DigitalLibrary
from testkit import (
    REPO,
    FileServer,
    assert_one_error,
    block_of,
    blocks,
    command,
    query,
    scalar,
    sha256_file,
)

pytestmark = pytest.mark.real_data


def run(line: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", line], cwd=REPO, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture
def env(published: Published, tmp_path: Path) -> dict[str, str]:
    """A copy of the session's warehouse (and what it published) for the command to rebuild."""
    db = tmp_path / "warehouse" / "unga.duckdb"
    db.parent.mkdir()
    shutil.copy2(published.db, db)
    return published.env | {
        "UNGA_DB": str(db),
        "UNGA_REPORTS": str(tmp_path / "reports"),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }


def run_example(
    marker: str, published: Published, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> str:
    """Run the one Python example of the README that contains `marker`, as printed, from a
    folder whose warehouse/ is the session's; return what it printed."""
    [example] = [b for b in blocks("python") if marker in b]
    (folder / "warehouse").symlink_to(published.serving.parent)
    monkeypatch.chdir(folder)
    exec(compile(example, "README.md", "exec"), {})
    return capsys.readouterr().out


def test_python_example_on_the_serving_copy(
    published: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    shown = run_example("focal_cohesion(", published, tmp_path, monkeypatch, capsys)
    for code in ("RUS", "USA", "DEU", "CHN"):
        assert code in shown
    assert "2014" in shown and "KAZ" not in shown.split("rank_identical_share")[0]


def run_report_as_printed(prefix: str, published: Published, reports: Path) -> None:
    """The README's report command starting with `prefix`, on the session's serving copy, its
    reports written under `reports`."""
    env = published.env | {"UNGA_SERVING": str(published.serving), "UNGA_REPORTS": str(reports)}
    done = run(command(prefix), env)
    assert done.returncode == 0, done.stderr


def test_report_for_another_selection_as_printed(published: Published, tmp_path: Path) -> None:
    run_report_as_printed(".venv/bin/unga report --focal", published, tmp_path / "reports")
    folder = tmp_path / "reports" / "TUR_2000-2024_RUS-USA-DEU-CHN"
    text = (folder / "report.md").read_text()
    assert "# Voting cohesion of Türkiye (TUR) in the UN General Assembly, 2000-2024" in text


CASES = {
    "as printed": {},
    "Türkiye": {
        "focal_country: BLR": "focal_country: TUR",
        "reference_countries: [RUS, CHN, USA, DEU]": "reference_countries: [RUS, USA, DEU, CHN]",
    },
}


@pytest.mark.parametrize("case", list(CASES))
def test_build_for_another_country_then_report(
    env: dict[str, str], tmp_path: Path, case: str
) -> None:
    line, then = block_of(".venv/bin/unga build -- --vars")
    assert then == "make report"
    for old, new in CASES[case].items():
        assert old in line
        line = line.replace(old, new)
    built = run(line, env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr
    focal = re.search(r"focal_country: (\w+)", line).group(1)
    references = re.search(r"reference_countries: \[([^\]]+)\]", line).group(1).split(", ")
    start, end = (int(re.search(rf"{k}: (\d+)", line).group(1)) for k in ("start_year", "end_year"))

    serving = Path(env["UNGA_DB"]).parent / "serving.duckdb"
    con = duckdb.connect(str(serving), read_only=True)
    try:
        args = f"'{focal}', {references}, {start}, {end}"
        for mart, analysis in (
            ("fct_focal_cohesion", f"focal_cohesion({args})"),
            ("fct_split_votes", f"split_votes({args})"),
            ("fct_split_vote_summary", f"split_vote_summary({args})"),
            ("fct_focal_resolution_votes", f"conflict_resolution_votes('{focal}', {references})"),
        ):
            table = con.execute(f"select * from marts.{mart} order by all").df()
            called = con.execute(f"select * from marts.{analysis} order by all").df()
            assert len(table) > 0, mart
            # the same rows; doubles summed by several threads may differ in the last bits
            pd.testing.assert_frame_equal(table, called, check_dtype=False, rtol=1e-12)
        window = con.execute(
            "select reference_country, n_roll_calls_in_period from marts.fct_focal_cohesion "
            "where period_type = 'window' and topic_code = 'all' order by reference_position"
        ).fetchall()
    finally:
        con.close()
    assert [r[0] for r in window] == references
    assert window[0][1] > 1_500  # 2000-2024: about 80 recorded votes a year

    reported = run(then, env)
    assert reported.returncode == 0, reported.stdout + reported.stderr
    folder = tmp_path / "reports" / f"{focal}_{start}-{end}_{'-'.join(references)}"
    text = (folder / "report.md").read_text()
    assert f"({focal}) in the UN General Assembly, {start}-{end}" in text
    assert (folder / "identical_share.png").is_file()


def test_focal_cohesion_against_an_independent_count(published: Published) -> None:
    """focal_cohesion('TUR', ...) on the serving copy, against counts made here with pandas from
    fct_votes: per year and pooled, all roll calls and the human-rights topic."""
    con = duckdb.connect(str(published.serving), read_only=True)
    try:
        got = con.execute(
            "select * from marts.focal_cohesion('TUR', ['RUS', 'USA', 'DEU', 'CHN'], 2000, 2024) "
            "where topic_code in ('all', 'hr')"
        ).df()
        votes = con.execute(
            "select roll_call_id, country_code, vote, year from marts.fct_votes "
            "where is_member and year between 2000 and 2024 "
            "and country_code in ('TUR', 'RUS', 'USA', 'DEU', 'CHN')"
        ).df()
        hr = set(
            con.execute(
                "select roll_call_id from marts.dim_roll_call_topics where topic_code = 'hr'"
            ).df()["roll_call_id"]
        )
        per_year = con.execute(
            "select year, count(*) as n from marts.dim_roll_calls "
            "where year between 2000 and 2024 group by year"
        ).df()
    finally:
        con.close()
    focal = votes[votes.country_code == "TUR"]
    pairs = focal.merge(votes[votes.country_code != "TUR"], on=["roll_call_id", "year"])
    assert len(got) == 2 * 4 * (25 + 1)  # topics x references x (years + window)
    assert per_year.n.sum() == got[(got.topic_code == "all")].n_roll_calls_in_period.max()
    for topic, chosen in (("all", pairs), ("hr", pairs[pairs.roll_call_id.isin(hr)])):
        groups = [((ref, year), g) for (ref, year), g in chosen.groupby(["country_code_y", "year"])]
        groups += [((ref, None), g) for ref, g in chosen.groupby("country_code_y")]
        for (ref, year), group in groups:
            a, b = group.vote_x, group.vote_y
            s = int(((a == b) & (a != "X")).sum())
            o = int((((a == "Y") & (b == "N")) | ((a == "N") & (b == "Y"))).sum())
            p = int((((a == "A") & b.isin(["Y", "N"])) | (a.isin(["Y", "N"]) & (b == "A"))).sum())
            period = got.period == str(year) if year else got.period_type == "window"
            [row] = got[
                (got.topic_code == topic) & (got.reference_country == ref) & period
            ].itertuples()
            assert row.n_roll_calls == len(group), (topic, ref, year)
            assert row.n_a_absent == int(((a == "X") & (b != "X")).sum())
            assert row.n_both_absent == int(((a == "X") & (b == "X")).sum())
            assert row.n_opposite == o
            if s + o + p == 0:
                assert pd.isna(row.identical_share)
                continue
            assert row.identical_share == pytest.approx(s / (s + o + p), abs=1e-12)
            assert row.agreement_index == pytest.approx((s + p / 2) / (s + o + p), abs=1e-12)


def test_groups_example_on_the_serving_copy(
    published: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    shown = run_example("country_group_agreement(", published, tmp_path, monkeypatch, capsys)
    assert "EAEU" in shown and "SCO" in shown and "2015-2024" in shown
    assert "1992-2025" in shown and "2008" in shown


def test_group_report_as_printed(published: Published, tmp_path: Path) -> None:
    run_report_as_printed(".venv/bin/unga group-report", published, tmp_path / "reports")
    folder = tmp_path / "reports" / "groups_EAEU-SCO-CIS_1992-2025_KAZ"
    text = (folder / "report.md").read_text()
    assert "# Groups of states in the UN General Assembly, 1992-2025: EAEU, SCO, CIS" in text
    assert "## Kazakhstan against the groups' majorities" in text
    assert (folder / "group_cohesion.png").is_file()


def test_make_export_as_printed(env: dict[str, str], published: Published) -> None:
    """`make export` from the README's list, on a copy of the session's serving copy."""
    [line] = [
        line.split("  #")[0].strip()
        for block in blocks("sh")
        for line in block.splitlines()
        if line.startswith("make export")
    ]
    folder = Path(env["UNGA_DB"]).parent
    shutil.copy2(published.serving, folder / "serving.duckdb")
    done = run(line, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "10 marts written to" in done.stderr
    assert (folder / "export" / "dim_years.dta").is_file()
    assert (folder / "export" / "fct_focal_cohesion.csv").is_file()


@pytest.mark.skipif(not REAL_FILE.is_file(), reason=f"real data not found at {REAL_FILE}")
def test_make_build_alone_then_make_update(http_server: FileServer, tmp_path: Path) -> None:
    """The README's `make build` with no UNGA_SOURCE on an empty warehouse, against the record
    played by the local server with the real file as its newest release; then `make update`,
    with nothing newer, and with the record out of reach."""
    lines = block_of("make build")
    assert lines == ["make build", "make update"]
    library = DigitalLibrary(http_server)
    library.publish("2025_9_19_ga_voting.csv", None, size=380_000_000)
    name = "2025_10_29_ga_voting.csv.gz"
    library.publish(name, REAL_FILE.read_bytes())
    db = tmp_path / "warehouse" / "unga.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")} | offline()
    env |= {
        "UNGA_UNDL_RECORD": library.record,
        "UNGA_DB": str(db),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }

    built = run(lines[0], env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr
    assert (
        f"the newest release on {library.record} is {name} (8.2 MB, dated 2025-10-29): "
        "downloading it"
    ) in built.stderr
    assert "loaded 917,380 of 917,380 rows (0 rejected)" in built.stderr
    assert scalar(db, "select count(*) from marts.fct_votes") == 917_380
    url = f"{library.url(name)}?ln=en"
    assert query(
        db, "select record, release_file, url, sha256, release_date from raw.load_log"
    ) == [(library.record, name, url, sha256_file(REAL_FILE), date(2025, 10, 29))]
    manifest = json.loads((db.parent / "parquet" / "manifest.json").read_text())
    [undl] = [s for s in manifest["sources"] if s["source_kind"] == "undl"]
    assert (undl["record"], undl["release_file"], undl["url"]) == (library.record, name, url)

    before = sha256_file(db)
    updated = run(lines[1], env)
    assert updated.returncode == 0, updated.stdout[-3000:] + updated.stderr
    assert f"{name} (8.2 MB, dated 2025-10-29) on {library.record}: it is the release the " in (
        updated.stderr
    )
    assert "the warehouse is up to date: nothing was downloaded, loaded or built" in updated.stderr
    assert http_server.gets(library.file_path(name)) == 1
    assert sha256_file(db) == before

    out_of_reach = run(lines[1], env | {"UNGA_UNDL_RECORD": f"{nowhere()}/record/4060887"})
    assert out_of_reach.returncode != 0
    assert_one_error(out_of_reach.stderr, "could not reach", "UNGA_SOURCE=/path/to/file")
    assert sha256_file(db) == before


def test_the_first_command_as_printed(built: Built) -> None:
    """The session's build is the README's first command, run as printed on the real file."""
    assert command("UNGA_SOURCE=") == FIRST_COMMAND
    assert "loaded 917,380 of 917,380 rows (0 rejected)" in built.stderr
    assert f"warehouse built: {built.db}" in built.stderr
    assert query(
        built.db, "select source, record, release_file from raw.load_log where source_kind = 'undl'"
    ) == [(str(REAL_FILE), None, REAL_FILE.name)]
