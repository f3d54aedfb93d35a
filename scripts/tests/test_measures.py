"""unga.measures: the cohesion measures of macros/cohesion_measures.sql, in Python.

Hand-computed cases first; then, on the real data (one published build per session, shared with
test_publish and the dashboard tests), the same numbers as the marts: every measure of a sample
of fct_dyad_year_agreement and fct_dyad_session_agreement rows, and the window figures of
fct_focal_cohesion pooled from its yearly counts.
"""

from __future__ import annotations

import math
from dataclasses import fields
from fractions import Fraction

import duckdb
import pytest
from test_publish import Published, real_published
from unga.measures import (
    COUNT_COLUMNS,
    MEASURES,
    DyadCounts,
    cohen_kappa,
    measures,
    pooled_measures,
    scott_pi,
    state_dept_coincidence,
)

# S = 5 + 2 + 1 = 8, O = 2, P = 1 + 1 = 2, a non-voting 3, b non-voting 1, both 1.
EXAMPLE = DyadCounts(
    n_roll_calls=17,
    n_both_yes=5,
    n_both_no=2,
    n_both_abstain=1,
    n_a_yes_b_no=2,
    n_a_yes_b_abstain=1,
    n_a_abstain_b_yes=1,
    n_a_absent=3,
    n_b_absent=1,
    n_both_absent=1,
)


def close(value: float | None, expected: float | Fraction | None) -> bool:
    if value is None or expected is None:
        return value is None and expected is None
    return math.isclose(value, float(expected), rel_tol=1e-12, abs_tol=1e-15)


def assert_measures(got: dict[str, float | None], expected: dict[str, float | None]) -> None:
    assert set(got) == set(MEASURES)
    wrong = {k: (got[k], expected[k]) for k in expected if not close(got[k], expected[k])}
    assert not wrong, wrong


def test_hand_computed_example() -> None:
    # a votes yes 8, no 2, abstain 2; b yes 6, no 4, abstain 2 (on the 12 both voted).
    assert (EXAMPLE.identical, EXAMPLE.opposite, EXAMPLE.one_abstains, EXAMPLE.voted) == (
        8,
        2,
        2,
        12,
    )
    assert_measures(
        measures(EXAMPLE, 2010),
        {
            "identical_share": Fraction(8, 12),
            "agreement_index": Fraction(9, 12),  # (8 + 2/2) / 12
            "coincidence_yes_no": Fraction(7, 9),  # yes/yes + no/no over yes/no votes
            "state_dept_coincidence": Fraction(7, 9),  # up to 2016: yes/no votes only
            "s_score": Fraction(1, 2),  # 1 - (2 + 2 * 2) / 12
            # (n S - sum a_k b_k) / (n^2 - sum a_k b_k), sum a_k b_k = 8*6 + 2*4 + 2*2 = 60
            "cohen_kappa": Fraction(12 * 8 - 60, 144 - 60),
            # (4 n S - sum m_k^2) / (4 n^2 - sum m_k^2), m = (14, 6, 4), sum m_k^2 = 248
            "scott_pi": Fraction(4 * 12 * 8 - 248, 4 * 144 - 248),
        },
    )


def test_state_department_rule_by_year() -> None:
    assert close(state_dept_coincidence(EXAMPLE, 2016), Fraction(7, 9))
    assert close(state_dept_coincidence(EXAMPLE, 2017), Fraction(9, 12))
    assert close(state_dept_coincidence(EXAMPLE, 2020), Fraction(9, 12))
    # from 2021 a's absences count as abstentions: (8 + 2/2 + 3/2) / (12 + 3)
    assert close(state_dept_coincidence(EXAMPLE, 2021), Fraction(21, 30))


def test_null_where_the_denominator_is_zero() -> None:
    nobody_voted = DyadCounts(n_roll_calls=4, n_a_absent=2, n_b_absent=1, n_both_absent=1)
    assert measures(nobody_voted, 2010) == dict.fromkeys(MEASURES)
    # from 2021 a's absences count, so the State Department figure exists
    assert close(measures(nobody_voted, 2022)["state_dept_coincidence"], Fraction(1, 2))
    only_abstentions = DyadCounts(n_roll_calls=2, n_both_abstain=2)
    got = measures(only_abstentions, 2010)
    assert got["identical_share"] == 1.0
    assert got["coincidence_yes_no"] is None  # no yes/no votes
    assert got["cohen_kappa"] is None  # chance agreement is 1
    assert got["scott_pi"] is None


def test_kappa_and_pi_of_perfect_and_opposite_voting() -> None:
    same = DyadCounts(n_roll_calls=4, n_both_yes=3, n_both_no=1)
    assert cohen_kappa(same) == 1.0
    assert scott_pi(same) == 1.0
    opposite = DyadCounts(n_roll_calls=4, n_a_yes_b_no=2, n_a_no_b_yes=2)
    assert cohen_kappa(opposite) == -1.0
    assert measures(opposite, 2010)["s_score"] == -1.0


def test_pooling_sums_counts_and_does_not_average() -> None:
    year_2016 = DyadCounts(n_roll_calls=10, n_both_yes=9, n_a_yes_b_no=1)
    year_2022 = DyadCounts(n_roll_calls=2, n_both_yes=1, n_a_yes_b_abstain=1)
    pooled = pooled_measures([(2016, year_2016), (2022, year_2022)])
    assert close(pooled["identical_share"], Fraction(10, 12))
    average = (
        measures(year_2016, 2016)["identical_share"] + measures(year_2022, 2022)["identical_share"]
    ) / 2
    assert not close(pooled["identical_share"], average)
    # State Department: each year's numerator and denominator under its own rule, summed
    assert close(pooled["state_dept_coincidence"], Fraction(9 + Fraction(3, 2), 10 + 2))


def test_from_mapping_reads_count_columns_and_treats_missing_as_zero() -> None:
    row = {name: i for i, name in enumerate(COUNT_COLUMNS)} | {"year": 2000, "extra": "x"}
    counts = DyadCounts.from_mapping(row)
    assert [getattr(counts, f.name) for f in fields(DyadCounts)] == list(range(len(COUNT_COLUMNS)))
    assert DyadCounts.from_mapping({"n_both_yes": None, "n_both_no": float("nan")}) == DyadCounts()
    assert EXAMPLE + DyadCounts(n_both_yes=1) == DyadCounts(
        **{f.name: getattr(EXAMPLE, f.name) for f in fields(DyadCounts)} | {"n_both_yes": 6}
    )


# --- the same numbers as the marts, on the real data ----------------------------------------------


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return real_published(tmp_path_factory)


def _rows(published: Published, sql: str) -> list[dict[str, object]]:
    con = duckdb.connect(str(published.serving), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("mart", "year_column"),
    [("fct_dyad_year_agreement", "year"), ("fct_dyad_session_agreement", "first_year")],
)
def test_same_numbers_as_the_dyad_marts(published: Published, mart: str, year_column: str) -> None:
    rows = _rows(
        published,
        f"select * from marts.{mart} using sample reservoir(20000 rows) repeatable (7) "
        f"union all by name select * from marts.{mart} where country_a = 'KAZ'",
    )
    assert len(rows) > 20000
    wrong = []
    for row in rows:
        got = measures(DyadCounts.from_mapping(row), int(row[year_column]))
        for name in MEASURES:
            if not close(got[name], row[name]):
                wrong.append((row["country_a"], row["country_b"], row[year_column], name))
    assert not wrong, wrong[:10]


@pytest.mark.real_data
def test_pooled_window_same_as_focal_cohesion(published: Published) -> None:
    rows = _rows(published, "select * from marts.fct_focal_cohesion")
    windows = [r for r in rows if r["period_type"] == "window"]
    assert windows
    for window in windows:
        # one window per reference (and per topic, where the mart has topics)
        key = (window.get("topic_code"), window["reference_country"])
        yearly = [
            (int(r["year"]), DyadCounts.from_mapping(r))
            for r in rows
            if r["period_type"] == "year" and (r.get("topic_code"), r["reference_country"]) == key
        ]
        assert_measures(pooled_measures(yearly), {name: window[name] for name in MEASURES})
