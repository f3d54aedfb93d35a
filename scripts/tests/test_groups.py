"""The group marts and analyses (macros/groups.sql) on a small assembly, every figure worked out
by hand below, built with the real dbt and the real seeds/group_memberships.csv and called on
the published serving copy.

Four roll calls, eight states (Y yes, N no, A abstain, X non-voting); the United Kingdom left
the EU on 2020-01-31, so it counts in the EU on the roll calls of 2019 only:

    roll call  date        GBR  FRA  DEU  USA  KAZ  RUS  KGZ  CHN
    2001       2019-12-02   Y    Y    N    N    Y    N    Y    A
    2002       2019-12-03   N    A    A    N    A    A    N    N
    2003       2020-12-02   N    Y    Y    N    Y    Y    Y    Y
    2004       2020-12-03   Y    N    Y    Y    X    N    A    N

Every member of a group that the assembly does not list (the EU's other members, for one)
counts as absent: membership follows the seed, not the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from conftest import build_assembly
from testkit import assembly_rows, assert_measures, records
from unga import serving

NAMES = (
    "UNITED KINGDOM", "FRANCE", "GERMANY", "UNITED STATES", "KAZAKHSTAN",
    "RUSSIAN FEDERATION", "KYRGYZSTAN", "CHINA",
)  # fmt: skip
ROLL_CALLS = {
    2001: ("2019-12-02", "Scenario 2001", ("Y", "Y", "N", "N", "Y", "N", "Y", "A")),
    2002: ("2019-12-03", "Scenario 2002", ("N", "A", "A", "N", "A", "A", "N", "N")),
    2003: ("2020-12-02", "Scenario 2003", ("N", "Y", "Y", "N", "Y", "Y", "Y", "Y")),
    2004: ("2020-12-03", "Scenario 2004", ("Y", "N", "Y", "Y", "X", "N", "A", "N")),
}
CENTRAL_ASIA_AND_FRIENDS = "['KAZ', 'RUS', 'KGZ', 'CHN']"


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = assembly_rows(NAMES, ROLL_CALLS)
    return build_assembly(tmp_path_factory.mktemp("groups"), rows, 2019, 2020)


@pytest.fixture
def con(assembly: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = serving.connect(assembly)
    yield connection
    connection.close()


def test_ad_hoc_group_cohesion_worked_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(
        con, f"select * from marts.group_cohesion({CENTRAL_ASIA_AND_FRIENDS}, 2019, 2020)"
    )
    by_period = {r["period"]: r for r in rows}
    assert list(by_period) == ["2019", "2020", "2019-2020"]
    # Hix (max - (v - max) / 2) / v: 2001 Y2 N1 A1 -> 1/4; 2002 N2 A2 -> 1/4; 2003 Y4 -> 1;
    # 2004 N2 A1 (KAZ non-voting) -> (2 - 1/2) / 3 = 1/2. Pairs voting alike / pairs voting:
    # 1/6, 2/6, 6/6, 1/3.
    assert_measures(
        by_period["2019"],
        {"n_member_states": 4, "n_roll_calls": 2, "n_roll_calls_with_index": 2,
         "hix_agreement_index": Fraction(1, 4), "pairwise_identical_share": Fraction(3, 12),
         "n_member_roll_calls": 8, "n_votes_cast": 8, "participation_rate": 1},
    )  # fmt: skip
    assert_measures(
        by_period["2020"],
        {"n_roll_calls": 2, "hix_agreement_index": Fraction(3, 4),
         "pairwise_identical_share": Fraction(7, 9), "n_votes_cast": 7,
         "participation_rate": Fraction(7, 8)},
    )  # fmt: skip
    assert_measures(
        by_period["2019-2020"],
        {"n_member_states": 4, "n_roll_calls": 4, "hix_agreement_index": Fraction(1, 2),
         "pairwise_identical_share": Fraction(10, 21), "participation_rate": Fraction(15, 16)},
    )  # fmt: skip
    assert by_period["2019-2020"]["period_type"] == "window"
    assert by_period["2019-2020"]["year"] is None


def test_membership_counts_on_the_date_of_the_vote(con: duckdb.DuckDBPyConnection) -> None:
    eu = {
        r["roll_call_id"]: r
        for r in records(
            con, "select * from marts.fct_group_roll_call_cohesion where group_code = 'EU'"
        )
    }
    members = {
        year: n
        for year, n in con.execute(
            "select extract(year from d)::int, count(*) from marts.dim_group_memberships, "
            "(select date '2019-12-02' as d union all select date '2020-12-02') "
            "where group_code = 'EU' and member_from <= d "
            "and (member_to is null or member_to >= d) group by 1"
        ).fetchall()
    }
    assert members == {2019: 28, 2020: 27}
    # 2001: the United Kingdom yes, France yes, Germany no; the 25 others not listed
    assert_measures(
        eu[2001],
        {"n_members": 28, "n_yes": 2, "n_no": 1, "n_abstain": 0, "n_absent": 25,
         "hix_agreement_index": Fraction(1, 2)},
    )  # fmt: skip
    assert eu[2001]["plurality_position"] == "Y"
    # 2003: the United Kingdom has left; France and Germany yes
    assert_measures(
        eu[2003], {"n_members": 27, "n_yes": 2, "n_no": 0, "n_absent": 25, "hix_agreement_index": 1}
    )
    assert eu[2004]["plurality_position"] == "tie"  # France no, Germany yes


def test_a_country_against_groups_worked_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(
        con, "select * from marts.country_group_agreement('USA', ['EU', 'NATO'], 2019, 2020)"
    )
    by = {(r["group_code"], r["period"]): r for r in rows}
    assert len(rows) == 6
    # EU (the US is not a member): plurality Y (2001), A (2002), Y (2003), tie (2004);
    # the US voted N on the first three: O, P, O.
    assert_measures(
        by[("EU", "2019")],
        {"n_group_member_roll_calls": 0, "n_plurality_ties": 0, "n_roll_calls": 2,
         "n_a_no_b_yes": 1, "n_a_no_b_abstain": 1, "identical_share": 0,
         "agreement_index": Fraction(1, 4)},
    )  # fmt: skip
    assert_measures(
        by[("EU", "2019-2020")],
        {"n_plurality_ties": 1, "n_roll_calls": 3, "n_opposite": 2, "identical_share": 0,
         "agreement_index": Fraction(1, 6)},
    )  # fmt: skip
    # NATO (the US a member; its own vote left out): Y, A, Y (GBR N, FRA Y, DEU Y), Y (GBR Y,
    # FRA N, DEU Y) against N, N, N, Y: S 1, O 2, P 1. US (Y1 N3), NATO (Y3 A1): nominal kappa
    # (4 * 1 - 3) / (16 - 3); weighted: observed P + 4 O = 9, expected a_Y b_A + a_N b_A
    # + 4 a_N b_Y = 1 + 3 + 36 = 40, kappa_w = 1 - 4 * 9 / 40.
    assert_measures(
        by[("NATO", "2019-2020")],
        {"n_group_member_roll_calls": 4, "n_roll_calls": 4, "n_both_yes": 1, "n_opposite": 2,
         "n_b_abstains": 1, "identical_share": Fraction(1, 4),
         "agreement_index": Fraction(3, 8), "cohen_kappa": Fraction(1, 13),
         "cohen_kappa_weighted": Fraction(1, 10), "agreed_on_every_vote": False,
         "focal_participation": 1, "rank_identical_share": 1},
    )  # fmt: skip
    assert_measures(by[("NATO", "2020")], {"n_roll_calls": 2, "identical_share": Fraction(1, 2)})
    assert by[("EU", "2019-2020")]["rank_identical_share"] == 2
    assert [r["group_code"] for r in rows if r["period_type"] == "window"] == ["EU", "NATO"]


def test_members_breaking_away_worked_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(
        con,
        "select * from marts.group_members_agreement(['EU'], 2019, 2020) "
        "where period_type = 'window'",
    )
    by = {r["country_code"]: r for r in rows}
    # 2001: GBR's and FRA's others tie (Y against N), DEU's say Y (DEU no: O);
    # 2002: GBR's others say A (GBR no: P), FRA's and DEU's tie (N against A);
    # 2003: FRA and DEU yes together (S, S); 2004: FRA no, DEU yes (O, O). GBR left.
    assert_measures(
        by["GBR"],
        {"member_roll_calls": 2, "n_group_member_roll_calls": 2, "n_plurality_ties": 1,
         "n_roll_calls": 1, "n_a_no_b_abstain": 1, "identical_share": 0,
         "agreement_index": Fraction(1, 2), "member_participation": 1},
    )  # fmt: skip
    assert_measures(
        by["FRA"],
        {"member_roll_calls": 4, "n_plurality_ties": 2, "n_roll_calls": 2, "n_both_yes": 1,
         "n_opposite": 1, "identical_share": Fraction(1, 2)},
    )  # fmt: skip
    assert_measures(
        by["DEU"],
        {"n_plurality_ties": 1, "n_roll_calls": 3, "n_both_yes": 1, "n_opposite": 2,
         "identical_share": Fraction(1, 3)},
    )  # fmt: skip
    ranks = {code: r["breakaway_rank_identical_share"] for code, r in by.items()}
    assert ranks == {"GBR": 1, "DEU": 2, "FRA": 3}


def test_the_group_marts_agree_with_the_analyses(con: duckdb.DuckDBPyConnection) -> None:
    mart = records(
        con,
        "select * from marts.fct_country_group_agreement "
        "where country_code = 'USA' and group_code in ('EU', 'NATO') order by group_code, year",
    )
    called = records(
        con,
        "select * from marts.country_group_agreement('USA', ['EU', 'NATO'], 2019, 2020) "
        "where period_type = 'year' order by group_code, year",
    )
    assert len(mart) == len(called) == 4
    for a, b in zip(mart, called, strict=True):
        for column in ("n_roll_calls", "n_plurality_ties", "n_both_yes", "identical_share"):
            assert a[column] == b[column], column
    yearly = records(
        con,
        f"select * from marts.group_cohesion({CENTRAL_ASIA_AND_FRIENDS}, 2019, 2020) "
        "where period_type = 'year'",
    )
    assert {r["year"] for r in yearly} == {2019, 2020}


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("country_group_agreement('USA', ['EU', 'XYZ'], 2019, 2020)", "unknown group code 'XYZ'"),
        ("group_members_agreement(['NOPE'], 2019, 2020)", "unknown group code 'NOPE'"),
        ("group_cohesion(['KAZ', 'QQQ'], 2019, 2020)", "unknown group member code 'QQQ'"),
        ("country_group_agreement('ZZZ', ['EU'], 2019, 2020)", "unknown country code 'ZZZ'"),
    ],
)
def test_unknown_codes_are_errors_that_name_them(
    con: duckdb.DuckDBPyConnection, sql: str, message: str
) -> None:
    with pytest.raises(duckdb.InvalidInputException, match=message):
        con.execute(f"select * from marts.{sql}").fetchall()


def test_empty_selections_give_empty_results(con: duckdb.DuckDBPyConnection) -> None:
    assert records(con, "select * from marts.group_cohesion([], 2019, 2020)") == []
    assert records(con, "select * from marts.country_group_agreement('USA', [], 2019, 2020)") == []
    # lower case codes are accepted; a group without members in the years has no rows
    rows = records(con, "select * from marts.group_members_agreement(['eu', 'LAS'], 2019, 2019)")
    assert {r["group_code"] for r in rows} == {"EU"}
