"""The dashboard: what it reads (unga.dashboard.data) and the page (Streamlit's AppTest).

What it reads is checked on the real serving copy against the var-driven marts built by dbt,
and against sums of fct_dyad_year_agreement for other choices. The page runs on a small
serving copy made from the real one (the same tables, columns and analyses, a dozen countries,
2014-2022) with a test topic holding every roll call.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from conftest import Published
from streamlit.testing.v1 import AppTest
from unga import serving
from unga.dashboard import data
from unga.errors import UserError

APP = Path(data.__file__).with_name("Cohesion.py")
SMALL_COUNTRIES = ("KAZ", "RUS", "CHN", "USA", "DEU", "FRA", "GBR", "IND", "BRA", "UKR", "UZB")
SMALL_YEARS = (2014, 2022)
EVERY_ROLL_CALL = "Every roll call (test topic)"
MEASURES = (
    "identical_share", "agreement_index", "coincidence_yes_no", "state_dept_coincidence",
    "cohen_kappa", "cohen_kappa_weighted", "scott_pi", "scott_pi_weighted", "s_score",
)  # fmt: skip
COUNTS = (
    "n_roll_calls", "n_both_yes", "n_both_no", "n_both_abstain", "n_a_yes_b_no", "n_a_no_b_yes",
    "n_a_yes_b_abstain", "n_a_no_b_abstain", "n_a_abstain_b_yes", "n_a_abstain_b_no",
    "n_a_absent", "n_b_absent", "n_both_absent",
)  # fmt: skip

real_data = pytest.mark.real_data


# --- no data needed -----------------------------------------------------------------------------


def test_serving_path_from_the_environment() -> None:
    assert serving.serving_path({}) == Path("warehouse/serving.duckdb")
    assert serving.serving_path({"UNGA_DB": "/w/unga.duckdb"}) == Path("/w/serving.duckdb")
    assert serving.serving_path({"UNGA_DB": "/w/unga.duckdb", "UNGA_SERVING": "/s.duckdb"}) == Path(
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


@pytest.fixture
def real(published: Published) -> Iterator[duckdb.DuckDBPyConnection]:
    con = data.connect(published.serving)
    yield con
    con.close()


def _small_copy(real_serving: Path, dest: Path) -> Path:
    """The real serving copy (tables, descriptions, analyses) with the rows of SMALL_COUNTRIES
    and SMALL_YEARS only, and a test topic holding every roll call."""
    first, last = SMALL_YEARS
    codes = ", ".join(f"'{c}'" for c in SMALL_COUNTRIES)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{real_serving}' as real (read_only)")
        con.execute(f"attach '{dest}' as small")
        con.execute("copy from database real to small (schema)")
        columns: dict[str, set[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where database_name = 'real' and schema_name = 'marts'"
        ).fetchall():
            columns.setdefault(table, set()).add(column)
        for table, names in columns.items():
            where = ["true"]
            if "year" in names:
                where.append(f"(year is null or year between {first} and {last})")
            for column in ("country_code", "country_a", "country_b"):
                if column in names:
                    where.append(f"{column} in ({codes})")
            if "roll_call_id" in names:
                where.append(
                    "(roll_call_id is null or roll_call_id in (select roll_call_id from "
                    f"real.marts.dim_roll_calls where year between {first} and {last}))"
                )
            con.execute(
                f"insert into small.marts.{table} select * from real.marts.{table} "
                f"where {' and '.join(where)}"
            )
        con.execute(
            "insert into small.marts.dim_topics by name select 'every' as topic_code, "
            "? as topic_name, 'test' as origin, false as is_grouping, false as in_foreign_policy, "
            "0 as n_roll_calls, 0 as n_roll_calls_in_window",
            [EVERY_ROLL_CALL],
        )
        con.execute(
            "insert into small.marts.dim_roll_call_topics by name "
            "select roll_call_id, 'every' as topic_code, ? as topic_name, false as is_grouping, "
            "'test' as rule_id, 'test' as rules_fired from small.marts.dim_roll_calls",
            [EVERY_ROLL_CALL],
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


# --- what it reads, on the real serving copy ---------------------------------------------------


def _close(a: Any, b: Any) -> bool:
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) else a
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else b
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)


def _sorted(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return frame.sort_values(key).reset_index(drop=True)


@real_data
def test_default_view_is_the_focal_mart(real: duckdb.DuckDBPyConnection) -> None:
    choices = data.choices(real)
    selection = choices.default
    mart = real.execute("select * from marts.fct_focal_cohesion").df()
    window = mart[(mart.period_type == "window") & (mart.topic_code == "all")]
    assert selection.focal == window.focal_country.iloc[0]
    assert list(selection.references) == list(
        window.sort_values("reference_position").reference_country
    )
    assert list(choices.measures) == list(MEASURES)
    key = ["period", "reference_country"]
    for topic in ("all", "hr", "foreign_policy"):
        shown = data.cohesion(real, data.Selection(*_fields(selection), topic=topic))
        expected = mart[mart.topic_code == topic]
        assert len(shown) == len(expected) > 0, topic
        pd.testing.assert_frame_equal(
            _sorted(shown, key), _sorted(expected, key), check_dtype=False
        )


def _fields(selection: data.Selection) -> tuple[Any, ...]:
    return (selection.focal, selection.references, selection.start_year, selection.end_year)


@real_data
def test_default_split_votes_are_the_marts(real: duckdb.DuckDBPyConnection) -> None:
    selection = data.choices(real).default
    key = ["roll_call_id", "first_country", "second_country"]
    pd.testing.assert_frame_equal(
        _sorted(data.split_votes(real, selection), key),
        _sorted(real.execute("select * from marts.fct_split_votes").df(), key),
    )
    summary = data.split_summary(real, selection)
    window = real.execute(
        "select * exclude (period_type, period, year) from marts.fct_split_vote_summary "
        "where period_type = 'window'"
    ).df()
    key = ["first_country", "second_country", "split_type"]
    pd.testing.assert_frame_equal(_sorted(summary, key), _sorted(window, key))


@real_data
def test_any_choice_pools_the_yearly_counts(real: duckdb.DuckDBPyConnection) -> None:
    selection = data.Selection("FRA", ("GBR", "IND", "FRA"), 1990, 1999)
    assert selection.reference_list == ["GBR", "IND"]  # the focal country left out
    measured = data.cohesion(real, selection)
    window = measured[measured.period_type == "window"].set_index("reference_country")
    dyads = real.execute(
        "select * from marts.fct_dyad_year_agreement where country_a = 'FRA' "
        "and country_b in ('GBR', 'IND') and year between 1990 and 1999"
    ).df()
    for ref in ("GBR", "IND"):
        summed = dyads[dyads.country_b == ref][list(COUNTS)].sum()
        for column in COUNTS:
            assert window.loc[ref, column] == summed[column], (ref, column)
        s = summed.n_both_yes + summed.n_both_no + summed.n_both_abstain
        o = summed.n_a_yes_b_no + summed.n_a_no_b_yes
        p = summed.n_a_yes_b_abstain + summed.n_a_no_b_abstain
        p += summed.n_a_abstain_b_yes + summed.n_a_abstain_b_no
        assert _close(window.loc[ref, "identical_share"], s / (s + o + p))
        assert _close(window.loc[ref, "agreement_index"], (s + p / 2) / (s + o + p))


@real_data
def test_roll_calls_behind_each_count(real: duckdb.DuckDBPyConnection) -> None:
    selection = data.Selection("KAZ", ("USA", "RUS"), 2012, 2016)
    measured = data.cohesion(real, selection)
    window = measured[measured.period_type == "window"].set_index("reference_country")
    kinds = {
        "identical": ["n_both_yes", "n_both_no", "n_both_abstain"],
        "opposite": ["n_opposite"],
        "one_abstains": ["n_a_abstains", "n_b_abstains"],
        "a_absent": ["n_a_absent"],
        "b_absent": ["n_b_absent"],
        "both_absent": ["n_both_absent"],
    }
    assert set(kinds) == set(data.DYAD_CATEGORIES)
    for ref in ("USA", "RUS"):
        for category, columns in kinds.items():
            roll_calls = data.dyad_roll_calls(real, selection, ref, category)
            assert len(roll_calls) == window.loc[ref, columns].sum(), (ref, category)
            assert roll_calls.undl_link.str.startswith("https://digitallibrary.un.org/").all()
            assert roll_calls.vote_date.dt.year.between(2012, 2016).all()


@real_data
def test_unknown_codes_are_errors_for_the_reader(real: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(UserError, match="unknown reference country code 'ZZZ'"):
        data.cohesion(real, data.Selection("KAZ", ("ZZZ",), 2000, 2001))


# --- the page, on the small copy -----------------------------------------------------------------


def _chart_data(at: AppTest, which: int = 0) -> pd.DataFrame:
    """The data of the page's first chart (cohesion over time), or of another one."""
    chart = at.get("vega_lite_chart")[which]
    [dataset] = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_pandas()


TABLES = {
    "ranking_table": "rank",
    "counts_table": "n_both_yes",
    "split_table": "n_splits",
    "roll_call_table": "undl_link",
}


def _table(at: AppTest, name: str) -> pd.DataFrame:
    """The table of the page named `name`, found by a column only it has."""
    [table] = [d.value for d in at.main.dataframe if TABLES[name] in d.value.columns]
    return table


def _window(selection: data.Selection) -> pd.DataFrame:
    """The window rows of marts.focal_cohesion for the selection, on the serving copy in use."""
    con = data.connect(serving.serving_path())
    try:
        measured = data.cohesion(con, selection)
    finally:
        con.close()
    return measured[measured.period_type == "window"].set_index("reference_country")


@real_data
def test_page_default_view(app: AppTest) -> None:
    assert "Kazakhstan (KAZ)" in app.main.header[0].value
    assert [s.value for s in app.subheader] == [
        "Cohesion over time",
        f"Ranking, {SMALL_YEARS[0]}-{SMALL_YEARS[1]}",
        f"Vote counts, {SMALL_YEARS[0]}-{SMALL_YEARS[1]}",
        "Ideal points",
        "Split votes",
        "Roll calls behind a number",
    ]
    chart = _chart_data(app)
    assert list(chart.columns) == [
        "year",
        "reference_country",
        "reference_country_name",
        "identical_share",
        "n_roll_calls",
    ]
    assert set(chart.reference_country) == {"RUS", "CHN", "USA", "DEU"}
    assert set(chart.year) == set(range(SMALL_YEARS[0], SMALL_YEARS[1] + 1))

    ranking = _table(app, "ranking_table")
    window = _window(data.Selection("KAZ", ("RUS", "CHN", "USA", "DEU"), *SMALL_YEARS))
    assert list(ranking["rank"]) == [1, 2, 3, 4]
    for row in ranking.itertuples(index=False):
        expected = window.loc[row.reference_country]
        assert row.rank == expected.rank_identical_share
        assert _close(row.identical_share, expected.identical_share)
        assert row.n_roll_calls == expected.n_roll_calls
        # participation beside the ranking
        assert _close(row.focal_participation, expected.focal_participation)
        assert _close(row.reference_participation, expected.reference_participation)
        assert 0 < row.reference_participation <= 1
    counts = _table(app, "counts_table").set_index("reference_country")
    for ref, row in counts.iterrows():
        assert row.n_opposite == window.loc[ref, "n_opposite"]
        assert row.n_both_yes == window.loc[ref, "n_both_yes"]
    assert list(counts.index) == list(ranking.reference_country)  # in the order of the ranking
    assert len(_table(app, "split_table")) == 12  # 6 pairs x full / partial
    roll_calls = _table(app, "roll_call_table")
    assert roll_calls.undl_link.str.startswith("https://digitallibrary.un.org/record/").all()
    assert [b.label for b in app.download_button] == ["Download CSV"] * 6
    assert not app.warning  # 2014-2022: no partial year
    # the focal country and the references on the ideal-point scale, with 90% intervals
    points = _chart_data(app, 1)
    assert set(points.country_code) == {"KAZ", "RUS", "CHN", "USA", "DEU"}
    assert set(points.year) == set(range(SMALL_YEARS[0], SMALL_YEARS[1] + 1))
    assert (points.lower_90 < points.ideal_point).all() and (
        points.ideal_point < points.upper_90
    ).all()
    usa = points[points.country_code == "USA"].set_index("year")
    assert (usa.ideal_point > 0).all()
    for row in ranking.itertuples(index=False):
        assert _close(
            row.ideal_point_distance, window.loc[row.reference_country].ideal_point_distance
        )


@real_data
def test_page_recomputes_for_any_choice(app: AppTest) -> None:
    app.sidebar.selectbox(key="focal").set_value("UZB")
    app.sidebar.multiselect(key="references").set_value(["UKR", "IND"])
    app.sidebar.slider(key="years").set_value((2018, 2020))
    app.sidebar.selectbox(key="measure").set_value("cohen_kappa")
    app.run()
    assert not app.exception and not app.error
    assert "Uzbekistan (UZB): Cohen's kappa (nominal), 2018-2020" in app.main.header[0].value
    chart = _chart_data(app)
    assert set(chart.year) == {2018, 2019, 2020}
    assert set(chart.reference_country) == {"UKR", "IND"}
    ranking = _table(app, "ranking_table").set_index("reference_country")
    window = _window(data.Selection("UZB", ("UKR", "IND"), 2018, 2020))
    for ref in ("UKR", "IND"):
        assert _close(ranking.loc[ref, "cohen_kappa"], window.loc[ref, "cohen_kappa"])
        assert ranking.loc[ref, "n_roll_calls"] == window.loc[ref, "n_roll_calls"] > 0
    assert len(_table(app, "split_table")) > 0


@real_data
def test_page_topic_filter(app: AppTest) -> None:
    topic = app.sidebar.selectbox(key="topic")
    assert topic.options[:1] == ["All topics"]
    assert EVERY_ROLL_CALL in topic.options and "Human rights" in topic.options
    everything = _table(app, "ranking_table")
    topic.set_value("every").run()
    assert not app.exception and not app.error
    assert EVERY_ROLL_CALL in app.main.header[0].value
    pd.testing.assert_frame_equal(_table(app, "ranking_table"), everything)
    app.sidebar.selectbox(key="topic").set_value("hr").run()
    assert not app.exception and not app.error
    fewer = _table(app, "ranking_table")
    assert (fewer.n_roll_calls < everything.n_roll_calls).all()
    assert (fewer.n_roll_calls > 0).all()


@real_data
def test_page_roll_calls_behind_a_number(app: AppTest) -> None:
    app.selectbox(key="drill_reference").set_value("USA")
    app.selectbox(key="drill_category").set_value("opposite").run()
    counts = _table(app, "counts_table").set_index("reference_country")
    roll_calls = _table(app, "roll_call_table")
    assert len(roll_calls) == counts.loc["USA", "n_opposite"] > 0
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
    assert (
        "lacks dim_roll_calls, dim_years, dim_topics, dim_measures, fct_focal_cohesion"
        in error.value
    )
    assert "focal_cohesion, split_votes" in error.value and "make build" in error.value
    with pytest.raises(UserError, match="lacks"):
        data.connect(broken)


@real_data
def test_partial_year_is_flagged(published: Published, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last year of the real data (2025, up to 29 October) is partial, and the page says so
    when the years chosen include it."""
    con = data.connect(published.serving)
    try:
        partial = data.partial_years(con, data.Selection("KAZ", ("RUS",), 2020, 2025))
        assert data.partial_years(con, data.Selection("KAZ", ("RUS",), 2007, 2022)).empty
    finally:
        con.close()
    assert partial.year.tolist() == [2025]
    assert str(partial.last_vote_date.iloc[0])[:10] == "2025-10-29"
    monkeypatch.setenv("UNGA_SERVING", str(published.serving))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.warning
    at.sidebar.slider(key="years").set_value((2023, 2025)).run()
    assert not at.exception and not at.error
    [warning] = at.warning
    assert warning.value.startswith("2025 is a partial year: the data end on 2025-10-29 (34 roll")
