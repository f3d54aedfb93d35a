"""unga.ideal_points: the ordered probit's derivatives, the arrangement of votes, and the
estimator on simulated assemblies whose true positions are known.

The simulated assembly: states whose positions follow a random walk over the years, roll calls
whose votes come from the model itself (an ordered probit with known discrimination and
cutpoints), some of them repeated in later years with the same parameters (bridges). Then the
estimate must find the true positions again (correlation above 0.95), give the same numbers
for the same votes, and cope with a state that cast one vote, a year with two roll calls and a
state that left and came back.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pytest
from scipy.stats import norm
from unga.errors import UserError
from unga.ideal_points.data import arrange
from unga.ideal_points.estimate import _Prior, tridiagonal_inverse_diagonal
from unga.ideal_points.fit import fit
from unga.ideal_points.probit import interval_terms, log_interval_probability
from unga.ideal_points.settings import Settings, fingerprint

QUIET = None  # no progress lines in the tests


# --- the ordered probit ------------------------------------------------------------------------


def test_log_interval_probability_matches_the_normal_distribution_and_stays_finite_in_tails():
    lo = np.array([-np.inf, -1.0, 0.5, -0.3, 8.0, -40.0])
    hi = np.array([0.3, 1.0, np.inf, 0.2, 9.0, -39.9])
    got = log_interval_probability(lo, hi)
    expected = np.log(norm.cdf(hi[:4]) - norm.cdf(lo[:4]))
    np.testing.assert_allclose(got[:4], expected, rtol=1e-12)
    # log(Phi(-8) - Phi(-9)): the naive difference of cdfs near 1 loses every digit
    np.testing.assert_allclose(got[4], np.log(norm.sf(8.0) - norm.sf(9.0)), rtol=1e-10)
    assert np.isfinite(got).all()


def test_interval_terms_give_the_derivatives_of_the_log_probability():
    from unga.ideal_points.probit import Kinds

    # sorted by kind: two lowest categories, two highest, two middle ones
    lo = np.array([-np.inf, -np.inf, -1.2, 2.5, -0.7, 1.1])
    hi = np.array([0.4, -3.0, np.inf, np.inf, 0.9, 1.6])
    kinds = Kinds(2, 2, 2)
    terms = interval_terms(lo, hi, kinds)

    def f(shift: float) -> np.ndarray:  # log P as a function of eta (both bounds move)
        return log_interval_probability(lo - shift, hi - shift)

    h = 1e-5
    np.testing.assert_allclose(terms.log_p, f(0.0), rtol=1e-12)
    np.testing.assert_allclose(terms.d_eta, (f(h) - f(-h)) / (2 * h), rtol=1e-6, atol=1e-9)
    h2 = 1e-4
    numeric = (f(h2) - 2 * f(0.0) + f(-h2)) / h2**2
    np.testing.assert_allclose(terms.d2_eta, numeric, rtol=1e-4, atol=1e-6)
    assert (terms.d2_eta <= 0).all()  # log-concave


# --- arranging the votes -----------------------------------------------------------------------


def test_arrange_recodes_items_to_the_categories_they_received():
    # item 7 got yes and no only: one cutpoint; item 8 all three: two
    votes = arrange(
        np.array(["A", "B", "C", "A", "B", "C"]),
        np.array([2000, 2000, 2000, 2000, 2000, 2000]),
        np.array([7, 7, 7, 8, 8, 8]),
        np.array([0, 2, 2, 0, 1, 2]),
    )
    assert votes.n_items == 2 and votes.n_units == 3
    assert votes.n_cutpoints.tolist() == [1, 2]
    back = np.empty(votes.n_votes, dtype=np.int64)
    back[votes.order] = votes.category
    assert back.tolist() == [0, 1, 1, 0, 1, 2]  # item 7's yes is its second category
    assert votes.kinds.n_lowest == 2 and votes.kinds.n_highest == 3 and votes.kinds.n_middle == 1


def test_arrange_refuses_bad_input_with_one_sentence():
    with pytest.raises(UserError, match="not 0 \\(no\\), 1 \\(abstain\\) or 2 \\(yes\\)"):
        arrange(np.array(["A"]), np.array([2000]), np.array([1]), np.array([3]))
    with pytest.raises(UserError, match="differ in length"):
        arrange(np.array(["A", "B"]), np.array([2000]), np.array([1]), np.array([1]))
    with pytest.raises(UserError, match="no votes"):
        arrange(np.array([], dtype=str), np.array([]), np.array([]), np.array([]))


def test_random_walk_links_successive_years_with_the_variance_of_the_gap():
    # state A votes in 2000, 2001 and (after leaving) 2005; B in 2000 only
    votes = arrange(
        np.array(["A", "A", "A", "B", "A", "B"]),
        np.array([2000, 2001, 2005, 2000, 2000, 2000]),
        np.array([1, 2, 3, 1, 4, 4]),
        np.array([0, 2, 1, 2, 0, 2]),
    )
    settings = Settings(walk_sd=0.5)
    prior = _Prior.build(votes, settings)
    # units sorted by path and year: A 2000, A 2001, A 2005, B 2000
    assert votes.path_of_unit.tolist() == [0, 0, 0, 1]
    assert votes.year_of_unit.tolist() == [2000, 2001, 2005, 2000]
    np.testing.assert_allclose(prior.off, [-1 / 0.25, -1 / (0.25 * 4), 0.0])


def test_diagonal_of_the_inverse_of_a_tridiagonal_matrix():
    rng = np.random.default_rng(3)
    diag = rng.uniform(2.0, 5.0, 9)
    off = rng.uniform(-1.0, 1.0, 8)
    off[4] = 0.0  # two paths: the blocks are independent
    dense = np.diag(diag) + np.diag(off, 1) + np.diag(off, -1)
    np.testing.assert_allclose(
        tridiagonal_inverse_diagonal(diag, off), np.diag(np.linalg.inv(dense)), rtol=1e-12
    )


# --- a simulated assembly ----------------------------------------------------------------------


@dataclass(frozen=True)
class Assembly:
    path: np.ndarray
    year: np.ndarray
    item: np.ndarray
    vote: np.ndarray
    truth: dict[tuple[str, int], float]


def simulate(
    seed: int = 7,
    n_states: int = 50,
    years: range = range(1990, 2002),
    roll_calls_per_year: int = 30,
    repeated_share: float = 0.4,
    few_roll_calls: dict[int, int] | None = None,
    absent: dict[str, range] | None = None,
) -> Assembly:
    """Votes from the model: positions a random walk (sd 0.3 a year), items with beta ~ N(0, 1.5)
    and cutpoints around the positions; a share of each year's roll calls repeats an item of
    the year before. The state named USA starts at +1.5."""
    rng = np.random.default_rng(seed)
    names = ["USA"] + [f"S{i:02d}" for i in range(1, n_states)]
    start = rng.normal(0.0, 1.0, n_states)
    start[0] = 1.5
    positions = {}
    for k, name in enumerate(names):
        value = start[k]
        for year in years:
            value += rng.normal(0.0, 0.3)
            positions[(name, year)] = value
    absent = absent or {}
    few_roll_calls = few_roll_calls or {}
    items: dict[int, tuple[float, float, float]] = {}
    previous: list[int] = []
    rows = []
    next_item = 1
    for year in years:
        current = []
        for _ in range(few_roll_calls.get(year, roll_calls_per_year)):
            if previous and rng.random() < repeated_share:
                item = previous[rng.integers(len(previous))]
            else:
                item = next_item
                next_item += 1
                beta = rng.normal(0.0, 1.5)
                centre = rng.normal(0.0, 0.8)
                items[item] = (beta, beta * centre - 0.4, beta * centre + 0.4)
            current.append(item)
            beta, c1, c2 = items[item]
            for name in names:
                if year in absent.get(name, range(0)):
                    continue
                z = beta * positions[(name, year)] + rng.normal()
                rows.append((name, year, item, 0 if z < min(c1, c2) else 1 if z < c2 else 2))
        previous = current
    path, year_, item_, vote = map(np.array, zip(*rows, strict=True))
    return Assembly(path, year_, item_, vote, positions)


def correlation(assembly: Assembly, result) -> float:
    truth = np.array(
        [assembly.truth[(p, int(y))] for p, y in zip(result.path, result.year, strict=True)]
    )
    return float(np.corrcoef(truth, result.ideal_point)[0, 1])


@pytest.fixture(scope="module")
def assembly() -> Assembly:
    return simulate()


@pytest.fixture(scope="module")
def estimated(assembly: Assembly):
    return fit(
        assembly.path, assembly.year, assembly.item, assembly.vote, Settings(), progress=QUIET
    )


def test_recovers_the_true_positions_of_a_simulated_assembly(assembly, estimated):
    assert estimated.estimate.converged
    assert correlation(assembly, estimated) > 0.95
    # the anchor's sign: the state named USA is positive
    usa = estimated.path == "USA"
    assert (estimated.ideal_point[usa] > 0).all()
    # the scale: mean 0 and standard deviation 1 over all state-years
    assert abs(estimated.ideal_point.mean()) < 1e-9
    assert abs(estimated.ideal_point.std() - 1.0) < 1e-9
    assert int(estimated.n_votes.sum()) == len(assembly.vote)


def test_same_votes_give_identical_numbers(assembly, estimated):
    again = fit(
        assembly.path, assembly.year, assembly.item, assembly.vote, Settings(), progress=QUIET
    )
    assert np.array_equal(again.ideal_point, estimated.ideal_point)
    assert np.array_equal(again.standard_error, estimated.standard_error)


def test_standard_errors_shrink_with_more_votes(estimated):
    assert (estimated.standard_error > 0).all()
    # with 30 roll calls a year every state-year's interval is narrow on a scale of sd 1
    assert np.median(estimated.standard_error) < 0.35


def test_a_state_with_one_vote_gets_a_finite_estimate_with_a_wide_interval(assembly):
    lone = ("LONE", 1995, int(assembly.item[assembly.year == 1995][0]), 2)
    path = np.append(assembly.path, lone[0])
    year = np.append(assembly.year, lone[1])
    item = np.append(assembly.item, lone[2])
    vote = np.append(assembly.vote, lone[3])
    result = fit(path, year, item, vote, Settings(), progress=QUIET)
    at = np.flatnonzero(result.path == "LONE")
    assert len(at) == 1 and result.n_votes[at[0]] == 1
    assert np.isfinite(result.ideal_point[at[0]])
    assert abs(result.ideal_point[at[0]]) < 4
    assert result.standard_error[at[0]] > 3 * np.median(result.standard_error)
    assert correlation(assembly, _without(result, "LONE")) > 0.95


def test_a_year_with_two_roll_calls_is_estimated_and_less_certain():
    assembly = simulate(seed=11, few_roll_calls={1996: 2})
    result = fit(
        assembly.path, assembly.year, assembly.item, assembly.vote, Settings(), progress=QUIET
    )
    thin = result.year == 1996
    assert thin.sum() == 50
    assert np.isfinite(result.ideal_point[thin]).all()
    assert np.median(result.standard_error[thin]) > 1.5 * np.median(result.standard_error[~thin])
    assert correlation(assembly, result) > 0.95


def test_a_state_that_left_and_came_back_continues_its_path():
    assembly = simulate(seed=5, absent={"S07": range(1994, 1998)})
    result = fit(
        assembly.path, assembly.year, assembly.item, assembly.vote, Settings(), progress=QUIET
    )
    years = result.year[result.path == "S07"]
    assert 1993 in years and 1998 in years and not any(1994 <= y < 1998 for y in years)
    assert correlation(assembly, result) > 0.95
    # its positions after the gap are found as well as before it
    s07 = result.path == "S07"
    truth = np.array([assembly.truth[("S07", int(y))] for y in result.year[s07]])
    assert np.corrcoef(truth, result.ideal_point[s07])[0, 1] > 0.5


def test_without_the_anchor_the_sign_cannot_be_fixed(assembly):
    with pytest.raises(UserError, match="anchor state XYZ cast no vote"):
        fit(
            assembly.path,
            assembly.year,
            assembly.item,
            assembly.vote,
            Settings(anchor="XYZ"),
            progress=QUIET,
        )


def test_fingerprint_changes_with_the_votes_the_settings_or_the_estimator(monkeypatch):
    settings_module = importlib.import_module("unga.ideal_points.settings")
    key = fingerprint("824561 123456789", Settings())
    assert key == fingerprint("824561 123456789", Settings())
    assert fingerprint("824561 123456780", Settings()) != key
    assert fingerprint("824561 123456789", replace(Settings(), walk_sd=0.4)) != key
    monkeypatch.setattr(
        settings_module, "ESTIMATOR_VERSION", settings_module.ESTIMATOR_VERSION + "-next"
    )
    assert fingerprint("824561 123456789", Settings()) != key


def _without(result, path: str):
    keep = result.path != path
    return replace(
        result,
        path=result.path[keep],
        year=result.year[keep],
        ideal_point=result.ideal_point[keep],
        standard_error=result.standard_error[keep],
        n_votes=result.n_votes[keep],
    )


def test_estimate_command_reproduces_the_warehouse_estimate(assembly, tmp_path, run_cli):
    """`unga ideal-points estimate` on a warehouse holding the simulated votes and the estimate
    that estimate_table made of them: a second estimate in another call is identical."""
    from unga.ideal_points.warehouse import estimate_table, votes_fingerprint

    db = tmp_path / "unga.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema intermediate")
    n = len(assembly.vote)
    con.execute(
        "create table intermediate.int_ideal_point_votes as select * from (select "
        "unnest($rc) as roll_call_id, unnest($cc) as country_code, unnest($path) as path, "
        "unnest($year) as year, unnest($item) as item_id, unnest($vote) as vote_category, "
        "cast(null as varchar) as exclusion_reason)",
        {
            "rc": list(range(n)),
            "cc": assembly.path.tolist(),
            "path": assembly.path.tolist(),
            "year": assembly.year.tolist(),
            "item": assembly.item.tolist(),
            "vote": assembly.vote.tolist(),
        },
    )
    votes = con.table("intermediate.int_ideal_point_votes")
    table = estimate_table(votes, Settings(), votes_fingerprint(votes, Settings()), QUIET)
    con.register("estimated", table)
    con.execute("create table intermediate.int_ideal_points_estimated as select * from estimated")
    con.close()
    shown = run_cli("ideal-points", "estimate", "--db", db)
    assert shown.code == 0, shown.err
    assert "identical to the warehouse's estimate" in shown.out
    assert "ideal points: converged" in shown.err  # progress on stderr


def test_no_usable_vote_gives_an_empty_estimate():
    from unga.ideal_points.warehouse import COLUMNS, estimate_table, votes_fingerprint

    con = duckdb.connect()
    votes = con.sql(
        "select 1 as roll_call_id, 'AAA' as country_code, 'AAA' as path, 2000 as year, "
        "1 as item_id, 2 as vote_category, 'no split' as exclusion_reason"
    )
    table = estimate_table(votes, Settings(), votes_fingerprint(votes, Settings()), QUIET)
    assert list(table.columns) == list(COLUMNS) and len(table) == 0
