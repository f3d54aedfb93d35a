"""The group marts on the real data: the EU's cohesion within its range, the CIS's falling after
1991, and independent recounts with pandas of the group counts, the Hix index and a state's
agreement with a group's plurality, from fct_votes and the membership periods."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import Built
from testkit import frame

pytestmark = pytest.mark.real_data

POST_SOVIET = "['SUN', 'RUS', 'BLR', 'UKR', 'KAZ', 'KGZ', 'TJK', 'TKM', 'UZB', 'ARM', 'AZE', 'GEO', 'MDA', 'EST', 'LVA', 'LTU']"  # noqa: E501


def _df(built: Built, sql: str) -> pd.DataFrame:
    return frame(built.db, sql)


def test_the_eu_yearly_hix_index_stays_within_its_range(built: Built) -> None:
    eu = _df(built, "select * from marts.fct_group_cohesion where group_code = 'EU'")
    assert eu.year.min() == 1958 and eu.year.max() >= 2025
    assert eu.hix_agreement_index.between(0, 1).all()
    # a cohesive group: its members agree on most votes every year
    assert (eu.hix_agreement_index > 0.7).all()
    assert (eu.pairwise_identical_share > 0.6).all()
    # the members' count follows the enlargements and the United Kingdom's withdrawal
    members = eu.set_index("year").n_member_states
    assert (members[1974], members[1996], members[2015], members[2021]) == (9, 15, 28, 27)


def test_the_cis_cohesion_falls_after_1991(built: Built) -> None:
    cis = _df(
        built, "select * from marts.fct_group_cohesion where group_code = 'CIS' order by year"
    ).set_index("year")
    assert cis.index.min() == 1991
    assert (cis.loc[1992:, "hix_agreement_index"] < cis.loc[1991, "hix_agreement_index"]).all()
    # the same states before 1991: the USSR, Belarus and Ukraine voted as one
    successors = _df(
        built, f"select * from marts.group_cohesion({POST_SOVIET}, 1980, 2000) "
        "where period_type = 'year'",
    ).set_index("year")  # fmt: skip
    assert (successors.loc[1980:1990, "hix_agreement_index"] > 0.99).all()
    assert (successors.loc[1992:2000, "hix_agreement_index"] < 0.85).all()
    assert successors.loc[1985, "n_member_states"] == 3
    assert successors.loc[1995, "n_member_states"] == 15


def _member_votes(built: Built, group: str, first: int, last: int) -> pd.DataFrame:
    """Every member of `group` on every roll call of the years, with its vote, from the votes,
    the UN membership periods and the group's (a separate count from macros/groups.sql)."""
    roll_calls = _df(
        built,
        "select roll_call_id, vote_date, year from marts.dim_roll_calls "
        f"where year between {first} and {last}",
    )
    un = _df(
        built, "select country_code, member_from, member_to from marts.dim_country_memberships"
    )
    group_periods = _df(
        built,
        "select country_code, member_from, member_to from marts.dim_group_memberships "
        f"where group_code = '{group}'",
    )
    votes = _df(
        built,
        "select roll_call_id, country_code, vote from marts.fct_votes "
        f"where year between {first} and {last}",
    )

    def within(frame: pd.DataFrame) -> pd.Series:
        date = pd.to_datetime(frame.vote_date)
        start = pd.to_datetime(frame.member_from)
        end = pd.to_datetime(frame.member_to)
        return (date >= start) & (end.isna() | (date <= end))

    rows = roll_calls.merge(group_periods, how="cross")
    rows = rows[within(rows)].drop(columns=["member_from", "member_to"])
    rows = rows.merge(un, on="country_code")
    rows = rows[within(rows)].drop(columns=["member_from", "member_to"])
    return rows.merge(votes, on=["roll_call_id", "country_code"], how="left")


@pytest.mark.parametrize("group", ["SCO", "EU", "CIS"])
def test_group_counts_and_hix_against_pandas(built: Built, group: str) -> None:
    members = _member_votes(built, group, 2005, 2024)
    counted = members.groupby("roll_call_id").agg(
        n_members=("country_code", "size"),
        n_yes=("vote", lambda v: (v == "Y").sum()),
        n_no=("vote", lambda v: (v == "N").sum()),
        n_abstain=("vote", lambda v: (v == "A").sum()),
    )
    voted = counted.n_yes + counted.n_no + counted.n_abstain
    top = counted[["n_yes", "n_no", "n_abstain"]].max(axis=1)
    counted["hix"] = ((top - (voted - top) / 2) / voted).where(voted >= 2)
    mart = _df(
        built,
        "select * from marts.fct_group_roll_call_cohesion "
        f"where group_code = '{group}' and year between 2005 and 2024",
    ).set_index("roll_call_id")
    assert len(mart) == len(counted) > 1_000
    joined = mart.merge(counted, left_index=True, right_index=True, suffixes=("", "_pandas"))
    for column in ("n_members", "n_yes", "n_no", "n_abstain"):
        assert (joined[column] == joined[f"{column}_pandas"]).all(), column
    assert (joined.n_absent == joined.n_members - voted.loc[joined.index]).all()
    pd.testing.assert_series_equal(
        joined.hix_agreement_index, joined.hix, check_names=False, atol=1e-12
    )


def test_kazakhstan_against_the_plurality_of_the_sco_against_pandas(built: Built) -> None:
    """KAZ against the other members of the SCO: the plurality of their yes, no and abstain
    votes, ties left out, counted here from the votes."""
    members = _member_votes(built, "SCO", 2015, 2024)
    others = members[members.country_code != "KAZ"]
    tally = others.pivot_table(
        index="roll_call_id", columns="vote", values="country_code", aggfunc="size", fill_value=0
    ).reindex(columns=["Y", "N", "A"], fill_value=0)
    top = tally.max(axis=1)
    winners = tally.eq(top, axis=0).sum(axis=1)
    plurality = tally.idxmax(axis=1).where(winners == 1, "tie").where(top > 0, "X")
    kaz = _df(
        built,
        "select roll_call_id, year, vote from marts.fct_votes "
        "where country_code = 'KAZ' and is_member and year between 2015 and 2024",
    ).set_index("roll_call_id")
    kaz["group"] = plurality.reindex(kaz.index)
    compared = kaz.dropna(subset=["group"])
    mart = _df(
        built,
        "select * from marts.fct_country_group_agreement "
        "where country_code = 'KAZ' and group_code = 'SCO' and year between 2015 and 2024",
    ).set_index("year")
    for year, group in compared.groupby("year"):
        row = mart.loc[year]
        ties = (group.group == "tie").sum()
        kept = group[group.group != "tie"]
        both = kept[(kept.vote != "X") & (kept.group != "X")]
        same = (both.vote == both.group).sum()
        assert row.n_plurality_ties == ties, year
        assert row.n_roll_calls == len(kept), year
        assert row.identical_share == pytest.approx(same / len(both), abs=1e-12), year


def test_kazakhstan_is_closer_to_the_sco_than_to_the_eaeu(built: Built) -> None:
    window = _df(
        built,
        "select * from marts.country_group_agreement('KAZ', ['EAEU', 'SCO'], 2015, 2024) "
        "where period_type = 'window'",
    ).set_index("group_code")
    assert window.loc["SCO", "identical_share"] > window.loc["EAEU", "identical_share"]
    assert window.loc["SCO", "rank_identical_share"] == 1
    # the five-member EAEU's other four tie more often than the SCO's others
    assert window.loc["EAEU", "n_plurality_ties"] > window.loc["SCO", "n_plurality_ties"]


def test_important_votes_are_matched_to_the_un_roll_calls(built: Built) -> None:
    topics = _df(built, "select * from marts.dim_topics").set_index("topic_code")
    assert 350 < topics.loc["important_votes", "n_roll_calls"] <= 411
    every = _df(built, "select count(*) as n from marts.dim_roll_calls").n.iloc[0]
    assert topics.loc["not_me", "n_roll_calls"] + topics.loc["me", "n_roll_calls"] == every
    years = _df(
        built,
        "select min(roll_calls.year) as first, max(roll_calls.year) as last "
        "from marts.dim_roll_call_topics as topics inner join marts.dim_roll_calls as roll_calls "
        "using (roll_call_id) where topics.topic_code = 'important_votes'",
    ).iloc[0]
    assert (years["first"], years["last"]) == (1983, 2017)
