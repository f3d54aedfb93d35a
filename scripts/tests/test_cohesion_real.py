"""The cohesion marts on the real data: the study's figures, and an independent recount."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from bench_dyads import COUNT_COLUMNS, pandas_dyad_counts
from conftest import Built

pytestmark = pytest.mark.real_data

STUDY = ("KAZ", ("RUS", "CHN", "USA", "DEU"))


def _df(built: Built, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(built.db), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_dyad_counts_agree_with_an_independent_pandas_recount(built: Built) -> None:
    votes = _df(
        built,
        "select roll_call_id, country_code, vote, year from marts.fct_votes "
        "where is_member and year between 2012 and 2016",
    )
    ours = pandas_dyad_counts(votes, "year")
    mart = _df(
        built,
        f"select year, country_a, country_b, {', '.join(COUNT_COLUMNS)} "
        "from marts.fct_dyad_year_agreement where year between 2012 and 2016",
    )
    keys = ["year", "country_a", "country_b"]
    merged = mart.merge(ours, on=keys, how="outer", suffixes=("_mart", "_pandas"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert len(merged) > 150_000
    for column in COUNT_COLUMNS:
        assert (merged[f"{column}_mart"] == merged[f"{column}_pandas"]).all(), column


def test_the_study_ranking_china_first_united_states_last(built: Built) -> None:
    window = _df(
        built,
        "select reference_country, n_roll_calls_in_period, identical_share, agreement_index, "
        "rank_identical_share, rank_agreement_index from marts.fct_focal_cohesion "
        "where period_type = 'window' and topic_code = 'all' order by rank_identical_share",
    )
    assert window["n_roll_calls_in_period"].unique().tolist() == [1_319]
    assert window["reference_country"].tolist() == ["CHN", "RUS", "DEU", "USA"]
    assert window.sort_values("rank_agreement_index")["reference_country"].tolist() == [
        "CHN", "RUS", "DEU", "USA",
    ]  # fmt: skip
    china = window.iloc[0]
    assert 0.80 < china["identical_share"] < 0.84


def test_window_measures_are_pooled_from_the_yearly_counts(built: Built) -> None:
    focal = _df(built, "select * from marts.fct_focal_cohesion where topic_code = 'all'")
    yearly = focal[focal["period_type"] == "year"]
    window = focal[focal["period_type"] == "window"].set_index("reference_country")
    assert sorted(yearly["year"].unique().tolist()) == list(range(2007, 2023))
    summed = yearly.groupby("reference_country")[COUNT_COLUMNS].sum()
    pd.testing.assert_frame_equal(
        summed.sort_index(), window[COUNT_COLUMNS].sort_index(), check_dtype=False
    )
    identical = summed[["n_both_yes", "n_both_no", "n_both_abstain"]].sum(axis=1)
    voted = identical + summed[[c for c in COUNT_COLUMNS if c.startswith("n_a_") and
                                "absent" not in c]].sum(axis=1)  # fmt: skip
    pd.testing.assert_series_equal(
        (identical / voted).sort_index(),
        window["identical_share"].sort_index(),
        check_names=False,
    )


def test_kazakhstan_abstains_on_the_ukraine_territorial_resolutions(built: Built) -> None:
    votes = _df(
        built,
        "select resolution_symbol, country_code, vote from marts.fct_focal_resolution_votes "
        "where resolution_symbol in ('A/RES/68/262', 'A/RES/ES-11/1', 'A/RES/ES-11/4')",
    )
    by = {(r.resolution_symbol, r.country_code): r.vote for r in votes.itertuples()}
    for symbol in ("A/RES/68/262", "A/RES/ES-11/1", "A/RES/ES-11/4"):
        assert by[(symbol, "KAZ")] == "A"
        assert by[(symbol, "RUS")] == "N"
        assert by[(symbol, "USA")] == "Y"


def test_split_votes_add_up(built: Built) -> None:
    summary = _df(
        built,
        "select * from marts.fct_split_vote_summary where period_type = 'window'",
    )
    splits = _df(
        built, "select first_country, second_country, split_type from marts.fct_split_votes"
    )
    counted = splits.value_counts().rename("n").reset_index()
    merged = summary.merge(counted, on=["first_country", "second_country", "split_type"])
    assert len(merged) == len(summary) > 0
    assert (merged["n"] == merged["n_splits"]).all()


def test_topic_rows_count_only_the_roll_calls_of_the_topic(built: Built) -> None:
    focal = _df(
        built,
        "select topic_code, reference_country, n_roll_calls, n_roll_calls_in_period "
        "from marts.fct_focal_cohesion where period_type = 'window'",
    )
    topics = _df(
        built,
        "select topics.topic_code, count(*) as n from marts.dim_roll_call_topics as topics "
        "inner join marts.dim_roll_calls as roll_calls using (roll_call_id) "
        "where roll_calls.year between 2007 and 2022 group by 1",
    ).set_index("topic_code")["n"]
    everything = focal[focal["topic_code"] == "all"]["n_roll_calls_in_period"].iloc[0]
    by_topic = focal[focal["topic_code"] != "all"]
    assert set(by_topic["topic_code"]) == set(topics.index)
    for row in by_topic.itertuples():
        assert row.n_roll_calls_in_period == topics[row.topic_code]
        assert row.n_roll_calls <= row.n_roll_calls_in_period < everything
