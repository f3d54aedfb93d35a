"""The groups page of the dashboard (pages/Groups.py, Streamlit's AppTest) and what it reads
(unga.groups), on the real serving copy: the page shows the group marts and analyses for the
groups, years and country picked, and computes nothing itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from conftest import Published
from streamlit.testing.v1 import AppTest
from unga import groups, serving
from unga.dashboard import data

PAGE = Path(data.__file__).with_name("pages") / "Groups.py"

real_data = pytest.mark.real_data


def test_page_without_a_serving_copy_says_to_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGA_SERVING", str(tmp_path / "serving.duckdb"))
    at = AppTest.from_file(str(PAGE), default_timeout=30).run()
    assert not at.exception
    [error] = at.error
    assert "no serving copy" in error.value and "make build" in error.value


@pytest.fixture
def real(published: Published) -> Iterator[duckdb.DuckDBPyConnection]:
    con = serving.connect(published.serving, groups.REQUIRED)
    yield con
    con.close()


@pytest.fixture
def page(published: Published, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("UNGA_SERVING", str(published.serving))
    at = AppTest.from_file(str(PAGE), default_timeout=120).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _charts(at: AppTest) -> list[pd.DataFrame]:
    frames = []
    for chart in at.get("vega_lite_chart"):
        [dataset] = chart.proto.datasets
        frames.append(pa.ipc.open_stream(dataset.data.data).read_pandas())
    return frames


def _table(at: AppTest, column: str) -> pd.DataFrame:
    [table] = [d.value for d in at.main.dataframe if column in d.value.columns]
    return table


@real_data
def test_what_the_page_reads_is_the_marts(real: duckdb.DuckDBPyConnection) -> None:
    selection = groups.GroupSelection(("EAEU", "SCO"), 2015, 2024, "KAZ")
    cohesion = groups.cohesion_by_year(real, selection)
    mart = real.execute(
        "select * from marts.fct_group_cohesion where group_code in ('EAEU', 'SCO') "
        "and year between 2015 and 2024 order by group_code, year"
    ).df()
    pd.testing.assert_frame_equal(cohesion.drop(columns="group_name"), mart)
    against = groups.focal_against_groups(real, selection)
    yearly = against[against.period_type == "year"].sort_values(["group_code", "year"])
    by_year = real.execute(
        "select * from marts.fct_country_group_agreement where country_code = 'KAZ' "
        "and group_code in ('EAEU', 'SCO') and year between 2015 and 2024 "
        "order by group_code, year"
    ).df()
    for column in ("n_roll_calls", "n_plurality_ties", "n_both_yes", "identical_share"):
        assert yearly[column].tolist() == by_year[column].tolist(), column
    assert {"EAEU", "SCO"} <= set(groups.groups_of(real, "KAZ"))


@real_data
def test_page_default_view(page: AppTest, real: duckdb.DuckDBPyConnection) -> None:
    picked = page.sidebar.multiselect(key="groups").value
    assert picked and set(picked) <= set(groups.groups_of(real, "KAZ"))
    start, end = page.sidebar.slider(key="group_years").value
    assert [s.value for s in page.subheader] == [
        "Cohesion over time",
        f"Members that break away most, {start}-{end}",
        "Kazakhstan (KAZ) against the groups' majorities",
    ]
    selection = groups.GroupSelection(tuple(picked), start, end, "KAZ")
    cohesion, against = _charts(page)
    expected = groups.cohesion_by_year(real, selection)
    assert sorted(cohesion.hix_agreement_index.round(12)) == sorted(
        expected.hix_agreement_index.round(12)
    )
    yearly = groups.focal_against_groups(real, selection)
    yearly = yearly[yearly.period_type == "year"]
    assert sorted(against.identical_share.round(12)) == sorted(yearly.identical_share.round(12))
    breakaway = _table(page, "breakaway_rank_identical_share")
    members = groups.members_breaking_away(real, selection)
    assert len(breakaway) == (members.breakaway_rank_identical_share <= 10).sum() > 0
    assert [b.label for b in page.download_button] == ["Download CSV"] * 3


@real_data
def test_page_recomputes_for_any_choice(page: AppTest, real: duckdb.DuckDBPyConnection) -> None:
    page.sidebar.multiselect(key="groups").set_value(["EU", "NATO", "G7"])
    page.sidebar.selectbox(key="group_focal").set_value("TUR")
    page.sidebar.slider(key="group_years").set_value((2010, 2020))
    page.sidebar.selectbox(key="group_measure").set_value("cohen_kappa_weighted")
    page.run()
    assert not page.exception and not page.error
    ranking = _table(page, "n_group_member_roll_calls").set_index("group_code")
    selection = groups.GroupSelection(("EU", "NATO", "G7"), 2010, 2020, "TUR")
    window = groups.focal_against_groups(real, selection)
    window = window[window.period_type == "window"].set_index("group_code")
    assert list(ranking.index) == list(window.sort_values("rank_cohen_kappa_weighted").index)
    for code in ("EU", "NATO", "G7"):
        assert ranking.loc[code, "cohen_kappa_weighted"] == pytest.approx(
            window.loc[code, "cohen_kappa_weighted"], abs=1e-12
        )
        assert ranking.loc[code, "rank"] == window.loc[code, "rank_cohen_kappa_weighted"]
    assert ranking.loc["NATO", "n_group_member_roll_calls"] > 0  # Türkiye is a member
    assert ranking.loc["EU", "n_group_member_roll_calls"] == 0
    page.radio(key="group_cohesion_measure").set_value("participation_rate").run()
    [cohesion, _] = _charts(page)
    assert list(cohesion.columns) == ["year", "series", "participation_rate"]


@real_data
def test_page_asks_for_a_group(page: AppTest) -> None:
    page.sidebar.multiselect(key="groups").set_value([]).run()
    assert not page.exception and not page.error
    assert "Pick at least one group" in page.info[0].value
