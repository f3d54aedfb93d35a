"""The parameterised analyses (marts.focal_cohesion, split_votes, split_vote_summary,
dyad_roll_calls, conflict_resolution_votes) on a small assembly whose every figure is worked
out by hand below, built with the real dbt and called on the published serving copy.

Six roll calls, five states (Y yes, N no, A abstain, X non-voting):

    roll call  year  KAZ  RUS  CHN  USA  DEU   title
    1001       2020   Y    Y    Y    N    A
    1002       2020   A    N    A    Y    Y
    1003       2020   Y    Y    Y    Y    Y
    1004       2020   X    Y    Y    N    N
    1005       2021   N    N    Y    Y    A
    1006       2021   Y    A    Y    N    N    on human rights (topic hr)
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

VOTES = {
    1001: (2020, "Y", "Y", "Y", "N", "A"),
    1002: (2020, "A", "N", "A", "Y", "Y"),
    1003: (2020, "Y", "Y", "Y", "Y", "Y"),
    1004: (2020, "X", "Y", "Y", "N", "N"),
    1005: (2021, "N", "N", "Y", "Y", "A"),
    1006: (2021, "Y", "A", "Y", "N", "N"),
}
NAMES = ("KAZAKHSTAN", "RUSSIAN FEDERATION", "CHINA", "UNITED STATES", "GERMANY")
HUMAN_RIGHTS = 1006


def _roll_calls() -> dict[int, tuple[str, str, tuple[str, ...]]]:
    return {
        undl_id: (
            f"{year}-12-0{undl_id % 10}",
            "Situation of human rights in a test country"
            if undl_id == HUMAN_RIGHTS
            else f"Scenario roll call {undl_id}",
            tuple(votes),
        )
        for undl_id, (year, *votes) in VOTES.items()
    }


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small assembly built (dbt build: models and tests) and published; its serving copy."""
    rows = assembly_rows(NAMES, _roll_calls())
    return build_assembly(tmp_path_factory.mktemp("assembly"), rows, 2020, 2021)


@pytest.fixture
def con(assembly: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = serving.connect(assembly)
    yield connection
    connection.close()


# The worked figures. Counts S identical, O opposite, P one abstains; n = S + O + P.
KAZ_RUS = {
    # 2020: 1001 Y/Y, 1002 A/N, 1003 Y/Y, 1004 X/Y -> S 2, P 1, KAZ absent 1; n 3.
    # marginals over n: KAZ (Y2 N0 A1), RUS (Y2 N1 A0); sum a_k b_k = 4; pooled m = (4, 1, 1).
    "2020": {
        "n_roll_calls": 4, "n_both_yes": 2, "n_a_abstain_b_no": 1, "n_a_absent": 1,
        "identical_share": Fraction(2, 3), "agreement_index": Fraction(5, 6),
        "coincidence_yes_no": 1, "state_dept_coincidence": Fraction(5, 6),  # 2017-2020 rule
        "cohen_kappa": Fraction(3 * 2 - 4, 9 - 4), "scott_pi": Fraction(4 * 3 * 2 - 18, 36 - 18),
        "s_score": 1 - Fraction(1, 3),
        # weighted (squared distances, yes 1 abstain 2 no 3): observed P + 4 O = 1; Cohen's
        # expected a_Y b_A + a_A b_Y + a_A b_N + a_N b_A + 4 (a_Y b_N + a_N b_Y) = 0 + 2 + 1 + 0
        # + 4 * 2 = 11; Scott's 2 m_Y m_A + 2 m_A m_N + 8 m_Y m_N = 8 + 2 + 32 = 42
        "cohen_kappa_weighted": 1 - Fraction(3 * 1, 11), "scott_pi_weighted": 1 - Fraction(12, 42),
        "agreed_on_every_vote": False,
    },
    # 2021: 1005 N/N, 1006 Y/A -> S 1, P 1; KAZ (Y1 N1 A0), RUS (Y0 N1 A1); m = (1, 2, 1).
    "2021": {
        "n_roll_calls": 2, "n_both_no": 1, "n_a_yes_b_abstain": 1, "n_a_absent": 0,
        "identical_share": Fraction(1, 2), "agreement_index": Fraction(3, 4),
        "coincidence_yes_no": 1, "state_dept_coincidence": Fraction(3, 4),  # from-2021 rule
        "cohen_kappa": Fraction(2 - 1, 4 - 1), "scott_pi": Fraction(8 - 6, 16 - 6),
        "s_score": Fraction(1, 2),
        # weighted: observed 1; Cohen's 1 + 0 + 0 + 1 + 4 * (1 + 0) = 6; Scott's 2 + 4 + 16 = 22
        "cohen_kappa_weighted": 1 - Fraction(2 * 1, 6), "scott_pi_weighted": 1 - Fraction(8, 22),
    },
    # window: S 3, P 2, n 5; KAZ (Y3 N1 A1), RUS (Y2 N2 A1): sum a_k b_k = 9; m = (5, 3, 2);
    # State Department: (2.5 + 1.5) / (3 + 2), each year under its rule.
    "2020-2021": {
        "n_roll_calls": 6, "n_both_yes": 2, "n_both_no": 1, "n_opposite": 0,
        "n_a_abstains": 1, "n_b_abstains": 1, "n_a_absent": 1,
        "identical_share": Fraction(3, 5), "agreement_index": Fraction(4, 5),
        "coincidence_yes_no": 1, "state_dept_coincidence": Fraction(4, 5),
        "cohen_kappa": Fraction(15 - 9, 25 - 9), "scott_pi": Fraction(60 - 38, 100 - 38),
        "s_score": Fraction(3, 5),
        # weighted: observed 2; Cohen's 3 + 2 + 2 + 1 + 4 * (6 + 2) = 40; Scott's 20 + 12 + 120
        "cohen_kappa_weighted": 1 - Fraction(5 * 2, 40), "scott_pi_weighted": 1 - Fraction(40, 152),
    },
}  # fmt: skip
KAZ_USA = {
    # 2020: 1001 Y/N, 1002 A/Y, 1003 Y/Y, 1004 X/N -> S 1, O 1, P 1; KAZ (Y2 N0 A1),
    # USA (Y2 N1 A0): sum a_k b_k = 4, m = (4, 1, 1).
    "2020": {
        "n_roll_calls": 4, "n_opposite": 1, "identical_share": Fraction(1, 3),
        "agreement_index": Fraction(1, 2), "coincidence_yes_no": Fraction(1, 2),
        "state_dept_coincidence": Fraction(1, 2), "cohen_kappa": Fraction(3 - 4, 9 - 4),
        "scott_pi": Fraction(12 - 18, 36 - 18), "s_score": 0,
        # weighted: observed 1 + 4 = 5; expected as KAZ-RUS 2020 (same marginals), 11 and 42
        "cohen_kappa_weighted": 1 - Fraction(3 * 5, 11), "scott_pi_weighted": 1 - Fraction(60, 42),
    },
    # 2021: 1005 N/Y, 1006 Y/N -> O 2: every measure at its floor.
    "2021": {
        "n_roll_calls": 2, "n_opposite": 2, "identical_share": 0, "agreement_index": 0,
        "coincidence_yes_no": 0, "state_dept_coincidence": 0, "cohen_kappa": -1,
        "scott_pi": -1, "s_score": -1, "cohen_kappa_weighted": -1, "scott_pi_weighted": -1,
    },
    # window: S 1, O 3, P 1, n 5; KAZ (Y3 N1 A1), USA (Y3 N2 A0): sum 11; m = (6, 3, 1).
    "2020-2021": {
        "n_roll_calls": 6, "n_opposite": 3, "n_a_absent": 1,
        "identical_share": Fraction(1, 5), "agreement_index": Fraction(3, 10),
        "coincidence_yes_no": Fraction(1, 4), "state_dept_coincidence": Fraction(3, 10),
        "cohen_kappa": Fraction(5 - 11, 25 - 11), "scott_pi": Fraction(20 - 46, 100 - 46),
        "s_score": Fraction(-2, 5),
        # weighted: observed 1 + 12 = 13; Cohen's 0 + 3 + 2 + 0 + 4 * (6 + 3) = 41; Scott's
        # 2 * 6 * 1 + 2 * 1 * 3 + 8 * 6 * 3 = 162
        "cohen_kappa_weighted": 1 - Fraction(5 * 13, 41),
        "scott_pi_weighted": 1 - Fraction(4 * 5 * 13, 162),
    },
}  # fmt: skip


def test_focal_cohesion_by_year_and_window_worked_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(
        con,
        "select * from marts.focal_cohesion('KAZ', ['RUS', 'USA'], 2020, 2021) "
        "where topic_code = 'all'",
    )
    assert len(rows) == 6  # (2 years + window) x 2 references
    by_key = {(r["reference_country"], r["period"]): r for r in rows}
    for reference, expected in (("RUS", KAZ_RUS), ("USA", KAZ_USA)):
        for period, figures in expected.items():
            row = by_key[(reference, period)]
            assert_measures(row, figures)
            assert row["focal_country"] == "KAZ"
            assert row["period_type"] == ("window" if "-" in period else "year")
    assert by_key[("RUS", "2020")]["n_roll_calls_in_period"] == 4
    assert by_key[("RUS", "2020-2021")]["n_roll_calls_in_period"] == 6
    # participation: KAZ cast 3 votes of 4 in 2020 (non-voting on 1004), 2 of 2 in 2021
    assert_measures(
        by_key[("RUS", "2020")],
        {"focal_member_roll_calls": 4, "focal_votes_cast": 3, "focal_participation": 0.75,
         "reference_votes_cast": 4, "reference_participation": 1},
    )  # fmt: skip
    assert_measures(
        by_key[("USA", "2020-2021")],
        {"focal_member_roll_calls": 6, "focal_votes_cast": 5,
         "focal_participation": Fraction(5, 6), "reference_participation": 1},
    )  # fmt: skip
    ranks = {r: by_key[(r, "2020-2021")]["rank_identical_share"] for r in ("RUS", "USA")}
    assert ranks == {"RUS": 1, "USA": 2}
    assert by_key[("USA", "2020-2021")]["reference_position"] == 2
    assert {r["start_year"] for r in rows} == {2020} and {r["end_year"] for r in rows} == {2021}


def test_focal_cohesion_by_topic(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(
        con,
        "select * from marts.focal_cohesion('KAZ', ['RUS'], 2020, 2021) "
        "where topic_code = 'hr' and period_type = 'window'",
    )
    # only 1006 is on human rights: KAZ Y, RUS A
    [row] = rows
    assert row["n_roll_calls_in_period"] == 1
    assert_measures(row, {"n_roll_calls": 1, "n_a_yes_b_abstain": 1, "agreement_index": 0.5})
    assert_measures(row, {"focal_member_roll_calls": 1, "reference_participation": 1})
    # ties share a rank: KAZ agrees with RUS and DEU alike on 1003 (both yes)
    ranks = records(
        con,
        "select reference_country, rank_identical_share from "
        "marts.focal_cohesion('KAZ', ['RUS', 'DEU', 'USA'], 2020, 2020) "
        "where topic_code = 'all' and period_type = 'window' order by reference_position",
    )
    # 2020: RUS S 2 of 3 (2/3), DEU S 1 of 3 (1/3: 1003), USA S 1 of 3 (1/3): DEU and USA tie
    assert [(r["reference_country"], r["rank_identical_share"]) for r in ranks] == [
        ("RUS", 1), ("DEU", 2), ("USA", 2),
    ]  # fmt: skip


def test_the_var_driven_mart_is_the_analysis_with_the_vars(con: duckdb.DuckDBPyConnection) -> None:
    mart = con.execute("select * from marts.fct_focal_cohesion order by all").fetchall()
    called = con.execute(
        "select * from marts.focal_cohesion('KAZ', ['RUS', 'CHN', 'USA', 'DEU'], 2020, 2021) "
        "order by all"
    ).fetchall()
    assert mart == called and len(mart) > 0


# (roll call, first, second, split type, how KAZ voted)
SPLITS = {
    (1001, "RUS", "USA", "full", "with_first"), (1001, "RUS", "DEU", "partial", "with_first"),
    (1001, "CHN", "USA", "full", "with_first"), (1001, "CHN", "DEU", "partial", "with_first"),
    (1001, "USA", "DEU", "partial", "with_neither"),
    (1002, "RUS", "CHN", "partial", "with_second"), (1002, "RUS", "USA", "full", "abstained"),
    (1002, "RUS", "DEU", "full", "abstained"), (1002, "CHN", "USA", "partial", "with_first"),
    (1002, "CHN", "DEU", "partial", "with_first"),
    (1004, "RUS", "USA", "full", "absent"), (1004, "RUS", "DEU", "full", "absent"),
    (1004, "CHN", "USA", "full", "absent"), (1004, "CHN", "DEU", "full", "absent"),
    (1005, "RUS", "CHN", "full", "with_first"), (1005, "RUS", "USA", "full", "with_first"),
    (1005, "RUS", "DEU", "partial", "with_first"), (1005, "CHN", "DEU", "partial", "with_neither"),
    (1005, "USA", "DEU", "partial", "with_neither"),
    (1006, "RUS", "CHN", "partial", "with_second"), (1006, "RUS", "USA", "partial", "with_neither"),
    (1006, "RUS", "DEU", "partial", "with_neither"), (1006, "CHN", "USA", "full", "with_first"),
    (1006, "CHN", "DEU", "full", "with_first"),
}  # fmt: skip


def test_split_votes_classified_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(
        con, "select * from marts.split_votes('KAZ', ['RUS', 'CHN', 'USA', 'DEU'], 2020, 2021)"
    )
    got = {
        (r["roll_call_id"], r["first_country"], r["second_country"], r["split_type"],
         r["focal_alignment"])
        for r in rows
    }  # fmt: skip
    assert got == SPLITS and len(rows) == len(SPLITS)
    first = next(r for r in rows if r["roll_call_id"] == 1001)
    assert first["reference_votes"] == "RUS=Y CHN=Y USA=N DEU=A"
    # the references in another order swap first and second
    swapped = records(con, "select * from marts.split_votes('KAZ', ['USA', 'RUS'], 2020, 2021)")
    assert {(r["roll_call_id"], r["focal_alignment"]) for r in swapped} == {
        (1001, "with_second"), (1002, "abstained"), (1004, "absent"), (1005, "with_second"),
        (1006, "with_neither"),
    }  # fmt: skip
    only_hr = records(
        con, "select * from marts.split_votes('KAZ', ['RUS', 'CHN'], 2020, 2021, topic := 'hr')"
    )
    assert [(r["roll_call_id"], r["focal_alignment"]) for r in only_hr] == [(1006, "with_second")]


def test_split_vote_summary_counts_the_split_votes(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(
        con,
        "select * from marts.split_vote_summary('KAZ', ['RUS', 'CHN', 'USA', 'DEU'], 2020, 2021)",
    )
    window = {
        (r["first_country"], r["second_country"], r["split_type"]): r
        for r in rows
        if r["period_type"] == "window"
    }
    rus_usa = window[("RUS", "USA", "full")]
    # 1001 with RUS, 1002 abstained, 1004 absent, 1005 with RUS
    assert (rus_usa["n_splits"], rus_usa["n_with_first"], rus_usa["n_abstained"]) == (4, 2, 1)
    assert rus_usa["n_absent"] == 1 and rus_usa["share_with_first"] == 0.5
    assert sum(r["n_splits"] for r in window.values()) == len(SPLITS)
    years = [r for r in rows if r["period_type"] == "year"]
    assert sum(r["n_splits"] for r in years) == len(SPLITS)
    assert {r["year"] for r in years} == {2020, 2021}


def test_dyad_roll_calls_behind_each_count(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(con, "select * from marts.dyad_roll_calls('KAZ', 'USA', 2020, 2021)")
    assert [(r["roll_call_id"], r["dyad_count"], r["agreement"]) for r in rows] == [
        (1001, "n_a_yes_b_no", "opposite"),
        (1002, "n_a_abstain_b_yes", "one_abstains"),
        (1003, "n_both_yes", "identical"),
        (1004, "n_a_absent", "a_absent"),
        (1005, "n_a_no_b_yes", "opposite"),
        (1006, "n_a_yes_b_no", "opposite"),
    ]
    assert all(r["undl_link"].startswith("https://digitallibrary.un.org/record/") for r in rows)
    both_ways = records(con, "select * from marts.dyad_roll_calls('USA', 'KAZ', 2021, 2021)")
    assert [r["dyad_count"] for r in both_ways] == ["n_a_yes_b_no", "n_a_no_b_yes"]


def test_conflict_resolutions_not_in_the_data_stay_listed(con: duckdb.DuckDBPyConnection) -> None:
    rows = records(con, "select * from marts.conflict_resolution_votes('KAZ', ['RUS', 'USA'])")
    listed = con.execute("select count(*) from marts.dim_conflict_resolutions").fetchone()[0]
    assert len(rows) == 3 * listed > 0
    assert not any(r["is_in_data"] for r in rows)
    assert {r["country_code"]: r["country_position"] for r in rows} == {
        "KAZ": 0, "RUS": 1, "USA": 2,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("focal_cohesion('XXX', ['RUS'], 2020, 2021)", "unknown country code 'XXX'"),
        ("focal_cohesion('KAZ', ['ZZZ'], 2020, 2021)", "unknown reference country code 'ZZZ'"),
        ("focal_cohesion('KAZ', ['KAZ', 'RUS'], 2020, 2021)", "KAZ is both the focal country"),
        ("split_votes('KAZ', ['RUS', 'USA'], 2020, 2021, topic := 'nope')", "unknown topic 'nope'"),
        ("dyad_roll_calls('KAZ', 'QQQ', 2020, 2021)", "unknown country b code 'QQQ'"),
        ("focal_cohesion(null, ['RUS'], 2020, 2021)", "unknown country code null"),
    ],
)  # fmt: skip
def test_unknown_codes_and_topics_are_errors_that_name_them(
    con: duckdb.DuckDBPyConnection, sql: str, message: str
) -> None:
    with pytest.raises(duckdb.InvalidInputException, match=message):
        con.execute(f"select * from marts.{sql}").fetchall()


def test_empty_selections_give_empty_results(con: duckdb.DuckDBPyConnection) -> None:
    assert records(con, "select * from marts.focal_cohesion('KAZ', [], 2020, 2021)") == []
    assert records(con, "select * from marts.focal_cohesion('KAZ', ['RUS'], 1990, 1995)") == []
    assert records(con, "select * from marts.split_votes('KAZ', ['RUS'], 2020, 2021)") == []
    # lower case codes, duplicates and open years are accepted
    rows = records(
        con, "select * from marts.focal_cohesion('kaz', ['rus', 'RUS'], null, null) "
        "where topic_code = 'all' and period_type = 'window'",
    )  # fmt: skip
    assert [(r["reference_country"], r["period"], r["n_roll_calls"]) for r in rows] == [
        ("RUS", "2020-2021", 6)
    ]
