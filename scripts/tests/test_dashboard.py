"""The dashboard: its computations (unga.dashboard.data) and the page (Streamlit's AppTest).

The computations are checked on the real serving copy against the marts built by dbt for the
focal view of the build, and against sums of fct_dyad_year_agreement for other choices. The
page runs on a small serving copy made from the real one (the same tables and columns, a dozen
countries, 2014-2022) with two test topics, one holding every roll call, and without the
topic dyad mart, so that topics are counted from fct_votes there.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from test_publish import Published, real_published
from unga.dashboard import data
from unga.errors import UserError
from unga.measures import MEASURES, DyadCounts, pooled_measures

APP = Path(data.__file__).with_name("app.py")
SMALL_COUNTRIES = ("KAZ", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "IND", "BRA", "UKR", "UZB")
SMALL_YEARS = (2014, 2022)
EVERY_ROLL_CALL = "Every roll call (test topic)"

real_data = pytest.mark.real_data


# --- no data needed -----------------------------------------------------------------------------


def test_serving_path_from_the_environment() -> None:
    assert data.serving_path({}) == Path("warehouse/serving.duckdb")
    assert data.serving_path({"UNGA_DB": "/w/unga.duckdb"}) == Path("/w/serving.duckdb")
    assert data.serving_path({"UNGA_DB": "/w/unga.duckdb", "UNGA_SERVING": "/s.duckdb"}) == Path(
        "/s.duckdb"
    )


def test_page_without_a_serving_copy_says_to_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGA_SERVING", str(tmp_path / "serving.duckdb"))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    [error] = at.error
    assert "no serving copy" in error.value and "make build" in error.value


# --- the serving copies -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return real_published(tmp_path_factory)


@pytest.fixture
def real(published: Published) -> Iterator[duckdb.DuckDBPyConnection]:
    con = data.connect(published.serving)
    yield con
    con.close()


def _small_copy(real_serving: Path, dest: Path) -> Path:
    """Every mart of the real serving copy but the topic dyad mart, restricted to SMALL_COUNTRIES
    and SMALL_YEARS by the columns it has, and two test topics, one holding every roll call."""
    first, last = SMALL_YEARS
    codes = ", ".join(f"'{c}'" for c in SMALL_COUNTRIES)
    con = duckdb.connect(str(dest))
    try:
        con.execute(f"attach '{real_serving}' as real (read_only)")
        con.execute("create schema marts")
        columns: dict[str, set[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_catalog = 'real' and table_schema = 'marts'"
        ).fetchall():
            columns.setdefault(table, set()).add(column)
        columns.pop(data.TOPIC_DYAD_MART, None)
        for table, names in columns.items():
            where = ["true"]
            if "year" in names:
                where.append(f"(year is null or year between {first} and {last})")
            for column in ("country_code", "country_a", "country_b"):
                if column in names:
                    where.append(f"{column} in ({codes})")
            if "roll_call_id" in names:
                where.append(
                    "roll_call_id in (select roll_call_id from real.marts.dim_roll_calls "
                    f"where year between {first} and {last})"
                )
            con.execute(
                f"create table marts.{table} as select * from real.marts.{table} "
                f"where {' and '.join(where)}"
            )
        if data.TOPIC_MART not in columns:
            con.execute(
                f"create table marts.{data.TOPIC_MART} (roll_call_id bigint, topic_code varchar, "
                "topic_name varchar)"
            )
        else:
            con.execute(f"delete from marts.{data.TOPIC_MART}")
        con.execute(
            f"insert into marts.{data.TOPIC_MART} by name "
            "select roll_call_id, 'every' as topic_code, ? as topic_name from marts.dim_roll_calls",
            [EVERY_ROLL_CALL],
        )
        con.execute(
            f"insert into marts.{data.TOPIC_MART} by name "
            "select roll_call_id, 'hr_test' as topic_code, "
            "'Human rights (test topic)' as topic_name "
            "from marts.dim_roll_calls where subjects ilike '%HUMAN RIGHTS%'"
        )
    finally:
        con.close()
    return dest


@pytest.fixture(scope="session")
def small(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_copy(published.serving, tmp_path_factory.mktemp("small") / "serving.duckdb")


@pytest.fixture
def app(small: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("UNGA_SERVING", str(small))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


# --- the computations, on the real serving copy -------------------------------------------------


def _close(a: Any, b: Any) -> bool:
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) else a
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else b
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)


@real_data
def test_default_view_matches_the_focal_marts(real: duckdb.DuckDBPyConnection) -> None:
    choices = data.choices(real)
    selection = choices.default
    assert selection is not None
    mart = real.execute(
        "select * from marts.fct_focal_cohesion order by period_type, year, reference_position"
    ).df()
    if "topic_code" in mart.columns:
        mart = mart[mart.topic_code == "all"]
    assert selection.focal == mart.focal_country.iloc[0]
    assert list(selection.references) == list(mart[mart.period_type == "window"].reference_country)

    by_year = data.cohesion_by_year(real, selection)
    yearly = mart[mart.period_type == "year"].set_index(["year", "reference_country"])
    assert len(by_year) > 0
    for row in by_year.itertuples(index=False):
        expected = yearly.loc[(row.year, row.reference_country)]
        assert row.n_roll_calls == expected.n_roll_calls
        for name in MEASURES:
            assert _close(getattr(row, name), expected[name]), (row.year, name)

    window = mart[mart.period_type == "window"].set_index("reference_country")
    for measure in MEASURES:
        ranked = data.ranking(by_year, measure).set_index("reference_country")
        for ref, row in ranked.iterrows():
            assert _close(row[measure], window.loc[ref, measure]), (ref, measure)
            assert row["rank"] == window.loc[ref, f"rank_{measure}"], (ref, measure)
            assert row["n_roll_calls"] == window.loc[ref, "n_roll_calls"]


@real_data
def test_topics_match_the_focal_marts(real: duckdb.DuckDBPyConnection) -> None:
    choices = data.choices(real)
    mart = real.execute("select * from marts.fct_focal_cohesion where period_type = 'year'").df()
    if not choices.topics or "topic_code" not in mart.columns:
        pytest.skip("the serving copy has no topics")
    assert choices.default is not None
    yearly = mart.set_index(["topic_code", "year", "reference_country"])
    for topic in sorted(set(mart.topic_code) - {"all"})[:2]:
        selection = dataclasses.replace(choices.default, topic=topic)
        by_year = data.cohesion_by_year(real, selection)
        assert len(by_year) > 0
        for row in by_year.itertuples(index=False):
            expected = yearly.loc[(topic, row.year, row.reference_country)]
            assert row.n_roll_calls == expected.n_roll_calls
            for name in MEASURES:
                assert _close(getattr(row, name), expected[name]), (topic, row.year, name)
        # the same counts made from fct_votes
        pd.testing.assert_frame_equal(
            data.yearly_counts(real, selection),
            data.yearly_counts_from_votes(real, selection),
            check_dtype=False,
        )


@real_data
def test_default_split_votes_match_the_marts(real: duckdb.DuckDBPyConnection) -> None:
    selection = data.choices(real).default
    assert selection is not None
    splits = data.split_votes(real, selection)
    mart = real.execute("select * from marts.fct_split_votes").df()
    key = ["roll_call_id", "first_country", "second_country"]
    got = splits.sort_values(key).reset_index(drop=True)
    expected = mart[list(splits.columns)].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)

    summary = data.split_summary(splits, selection.reference_list)
    window = real.execute(
        "select * from marts.fct_split_vote_summary where period_type = 'window'"
    ).df()
    merged = summary.merge(window, on=["first_country", "second_country", "split_type"])
    assert len(merged) == len(summary) == len(window)
    for column in ["n_splits", *(f"n_{a}" for a in data.ALIGNMENTS)]:
        assert (merged[f"{column}_x"] == merged[f"{column}_y"]).all(), column


@real_data
def test_any_choice_pools_the_yearly_counts(real: duckdb.DuckDBPyConnection) -> None:
    selection = data.Selection("FRA", ("GBR", "IND", "FRA"), 1990, 1999)
    by_year = data.cohesion_by_year(real, selection)
    assert set(by_year.reference_country) == {"GBR", "IND"}  # the focal country left out
    dyads = real.execute(
        "select * from marts.fct_dyad_year_agreement where country_a = 'FRA' "
        "and country_b in ('GBR', 'IND') and year between 1990 and 1999"
    ).df()
    for ref in ("GBR", "IND"):
        rows = dyads[dyads.country_b == ref]
        expected = pooled_measures(
            (int(r["year"]), DyadCounts.from_mapping(r)) for _, r in rows.iterrows()
        )
        for measure in MEASURES:
            ranked = data.ranking(by_year, measure).set_index("reference_country")
            assert _close(ranked.loc[ref, measure], expected[measure]), (ref, measure)
            assert ranked.loc[ref, "n_roll_calls"] == rows.n_roll_calls.sum()


@real_data
def test_roll_calls_behind_each_count(real: duckdb.DuckDBPyConnection) -> None:
    selection = data.Selection("KAZ", ("USA", "RUS"), 2012, 2016)
    ranked = data.ranking(data.cohesion_by_year(real, selection), "agreement_index")
    for ref in ("USA", "RUS"):
        row = ranked.set_index("reference_country").loc[ref]
        for category in data.DYAD_CATEGORIES:
            roll_calls = data.dyad_roll_calls(real, selection, ref, category)
            assert len(roll_calls) == row[f"n_{category}"], (ref, category)
            assert roll_calls.undl_link.str.startswith("https://digitallibrary.un.org/").all()
            assert roll_calls.vote_date.dt.year.between(2012, 2016).all()


# --- the page, on the small copy -----------------------------------------------------------------


def _chart_data(at: AppTest) -> pd.DataFrame:
    [chart] = at.get("vega_lite_chart")
    [dataset] = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_pandas()


TABLES = {"ranking_table": "rank", "split_table": "n_splits", "roll_call_table": "undl_link"}


def _table(at: AppTest, name: str) -> pd.DataFrame:
    """The table of the page named `name`, found by a column only it has."""
    [table] = [d.value for d in at.main.dataframe if TABLES[name] in d.value.columns]
    return table


@real_data
def test_page_default_view(app: AppTest, small: Path) -> None:
    assert "Kazakhstan (KAZ)" in app.main.header[0].value
    assert [s.value for s in app.subheader] == [
        "Cohesion over time",
        f"Ranking, {SMALL_YEARS[0]}-{SMALL_YEARS[1]}",
        "Split votes",
        "Roll calls behind a number",
    ]
    chart = _chart_data(app)
    assert list(chart.columns) == [
        "year",
        "reference_country",
        "reference_name",
        "identical_share",
        "n_roll_calls",
    ]
    assert set(chart.reference_country) == {"RUS", "CHN", "USA", "DEU"}
    assert set(chart.year) == set(range(SMALL_YEARS[0], SMALL_YEARS[1] + 1))

    con = data.connect(small)
    try:
        selection = data.Selection("KAZ", ("RUS", "CHN", "USA", "DEU"), *SMALL_YEARS)
        expected = data.ranking(data.cohesion_by_year(con, selection), "identical_share")
    finally:
        con.close()
    pd.testing.assert_frame_equal(
        _table(app, "ranking_table"),
        expected.drop(columns="reference_position"),
        check_dtype=False,
    )
    assert len(_table(app, "split_table")) == 12  # 6 pairs x full / partial
    roll_calls = _table(app, "roll_call_table")
    assert roll_calls.undl_link.str.startswith("https://digitallibrary.un.org/record/").all()
    assert [b.label for b in app.download_button] == ["Download CSV"] * 4


@real_data
def test_page_recomputes_for_any_choice(app: AppTest) -> None:
    app.sidebar.selectbox(key="focal").set_value("UZB")
    app.sidebar.multiselect(key="references").set_value(["UKR", "IND"])
    app.sidebar.slider(key="years").set_value((2018, 2020))
    app.sidebar.selectbox(key="measure").set_value("cohen_kappa")
    app.run()
    assert not app.exception and not app.error
    assert "Uzbekistan (UZB): Cohen's kappa, 2018-2020" in app.main.header[0].value
    chart = _chart_data(app)
    assert set(chart.year) == {2018, 2019, 2020}
    assert set(chart.reference_country) == {"UKR", "IND"}
    ranking = _table(app, "ranking_table").set_index("reference_country")
    dyads = [
        (int(r["year"]), r["country_b"], DyadCounts.from_mapping(r))
        for r in _rows(
            app,
            "select * from marts.fct_dyad_year_agreement where country_a = 'UZB' "
            "and country_b in ('UKR', 'IND') and year between 2018 and 2020",
        )
    ]
    for ref in ("UKR", "IND"):
        expected = pooled_measures((y, c) for y, b, c in dyads if b == ref)["cohen_kappa"]
        assert _close(ranking.loc[ref, "cohen_kappa"], expected)
    assert len(_table(app, "split_table")) > 0


def _rows(app: AppTest, sql: str) -> list[dict[str, Any]]:
    con = data.connect(data.serving_path())
    try:
        return con.execute(sql).df().to_dict("records")
    finally:
        con.close()


@real_data
def test_page_topic_filter(app: AppTest) -> None:
    topic = app.sidebar.selectbox(key="topic")
    assert topic.options == ["All topics", EVERY_ROLL_CALL, "Human rights (test topic)"]
    everything = _table(app, "ranking_table")
    topic.set_value("every").run()
    assert not app.exception and not app.error
    assert EVERY_ROLL_CALL in app.main.header[0].value
    pd.testing.assert_frame_equal(_table(app, "ranking_table"), everything)
    app.sidebar.selectbox(key="topic").set_value("hr_test").run()
    assert not app.exception and not app.error
    fewer = _table(app, "ranking_table")
    assert (fewer.n_roll_calls < everything.n_roll_calls).all()
    assert (fewer.n_roll_calls > 0).all()


@real_data
def test_page_roll_calls_behind_a_number(app: AppTest) -> None:
    app.selectbox(key="drill_reference").set_value("USA")
    app.selectbox(key="drill_category").set_value("opposite").run()
    ranking = _table(app, "ranking_table").set_index("reference_country")
    roll_calls = _table(app, "roll_call_table")
    assert len(roll_calls) == ranking.loc["USA", "n_opposite"] > 0
    assert set(zip(roll_calls.focal_vote, roll_calls.reference_vote, strict=True)) <= {
        ("yes", "no"),
        ("no", "yes"),
    }

    app.radio(key="drill_kind").set_value("Split votes").run()
    app.selectbox(key="drill_pair").set_value(("CHN", "USA"))
    app.selectbox(key="drill_alignment").set_value("with_second").run()
    assert not app.exception and not app.error
    summary = _table(app, "split_table")
    pair = summary[(summary.first_country == "CHN") & (summary.second_country == "USA")]
    roll_calls = _table(app, "roll_call_table")
    assert len(roll_calls) == pair.n_with_second.sum() > 0
    assert (roll_calls.focal_vote == roll_calls.second_vote).all()


@real_data
def test_page_asks_for_references(app: AppTest) -> None:
    app.sidebar.multiselect(key="references").set_value(["KAZ"]).run()  # only the focal country
    assert not app.exception and not app.error
    assert "Pick at least one reference country" in app.info[0].value
    app.sidebar.multiselect(key="references").set_value(["RUS"]).run()
    assert "Pick at least two reference countries" in app.info[0].value
    assert len(_chart_data(app)) > 0


@real_data
def test_page_with_an_incomplete_serving_copy(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "serving.duckdb"
    with duckdb.connect(str(broken)) as con:
        con.execute(f"attach '{small}' as small (read_only)")
        con.execute("create schema marts")
        con.execute("create table marts.dim_countries as select * from small.marts.dim_countries")
    monkeypatch.setenv("UNGA_SERVING", str(broken))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception
    [error] = at.error
    assert "lacks dim_roll_calls, fct_votes, fct_dyad_year_agreement" in error.value
    assert "make build" in error.value
    with pytest.raises(UserError, match="lacks"):
        data.connect(broken)
