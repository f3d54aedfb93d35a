"""The voting-cohesion measures of macros/cohesion_measures.sql, in Python, from dyad counts.

The dashboard pools the yearly counts of marts.fct_dyad_year_agreement over any choice of years
and computes the measures from the sums (never by averaging yearly figures), with the same
formulas as the dbt macros. Every measure is None where its denominator is 0.

S = identical votes (both yes, both no, both abstain), O = opposite votes (yes/no),
P = one abstains while the other votes yes or no, X = a non-voting while b voted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

# Measure column name -> label, in the order of the marts.
MEASURES: dict[str, str] = {
    "identical_share": "Identical votes (share)",
    "agreement_index": "Agreement index (Lijphart)",
    "coincidence_yes_no": "Coincidence, yes/no votes only",
    "state_dept_coincidence": "Coincidence (US State Department rule)",
    "cohen_kappa": "Cohen's kappa",
    "scott_pi": "Scott's pi",
    "s_score": "S score (Signorino & Ritter)",
}


@dataclass(frozen=True)
class DyadCounts:
    """Counts of each combination of the votes of a (country a) and b over some roll calls."""

    n_roll_calls: int = 0
    n_both_yes: int = 0
    n_both_no: int = 0
    n_both_abstain: int = 0
    n_a_yes_b_no: int = 0
    n_a_no_b_yes: int = 0
    n_a_yes_b_abstain: int = 0
    n_a_no_b_abstain: int = 0
    n_a_abstain_b_yes: int = 0
    n_a_abstain_b_no: int = 0
    n_a_absent: int = 0
    n_b_absent: int = 0
    n_both_absent: int = 0

    @classmethod
    def from_mapping(cls, row: Mapping[str, object]) -> DyadCounts:
        """Take the count columns from a row (dict, pandas Series); missing or null count 0."""
        values: dict[str, int] = {}
        for f in fields(cls):
            value = row.get(f.name)
            values[f.name] = 0 if value is None or value != value else int(value)  # NaN
        return cls(**values)

    def __add__(self, other: DyadCounts) -> DyadCounts:
        return DyadCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def identical(self) -> int:
        """S: both voted yes, both no, or both abstained."""
        return self.n_both_yes + self.n_both_no + self.n_both_abstain

    @property
    def opposite(self) -> int:
        """O: one voted yes, the other no."""
        return self.n_a_yes_b_no + self.n_a_no_b_yes

    @property
    def one_abstains(self) -> int:
        """P: one abstained while the other voted yes or no."""
        return (
            self.n_a_yes_b_abstain
            + self.n_a_no_b_abstain
            + self.n_a_abstain_b_yes
            + self.n_a_abstain_b_no
        )

    @property
    def voted(self) -> int:
        """S + O + P: roll calls on which both voted yes, no or abstained."""
        return self.identical + self.opposite + self.one_abstains


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def identical_share(c: DyadCounts) -> float | None:
    """S / (S + O + P)."""
    return _ratio(float(c.identical), c.voted)


def agreement_index(c: DyadCounts) -> float | None:
    """Lijphart (1963): (S + P/2) / (S + O + P)."""
    return _ratio(float(c.identical) + 0.5 * c.one_abstains, c.voted)


def coincidence_yes_no(c: DyadCounts) -> float | None:
    """Identical yes/no votes over roll calls on which both voted yes or no."""
    same = c.n_both_yes + c.n_both_no
    return _ratio(float(same), same + c.opposite)


def state_dept_parts(c: DyadCounts, year: int) -> tuple[float, float]:
    """Numerator and denominator of the State Department coincidence by the rule of `year`."""
    if year <= 2016:
        same = c.n_both_yes + c.n_both_no
        return float(same), float(same + c.opposite)
    if year <= 2020:
        return c.identical + 0.5 * c.one_abstains, float(c.voted)
    return (
        c.identical + 0.5 * c.one_abstains + 0.5 * c.n_a_absent,
        float(c.voted + c.n_a_absent),
    )


def state_dept_coincidence(c: DyadCounts, year: int) -> float | None:
    """US State Department coincidence of one year (its rule changed in 2017 and 2021)."""
    return _ratio(*state_dept_parts(c, year))


def s_score(c: DyadCounts) -> float | None:
    """Signorino and Ritter (1999) S on a yes/abstain/no scale: 1 - (P + 2 O) / (S + O + P)."""
    share = _ratio(float(c.one_abstains + 2 * c.opposite), c.voted)
    return None if share is None else 1 - share


def _marginals(c: DyadCounts) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    a = (
        c.n_both_yes + c.n_a_yes_b_no + c.n_a_yes_b_abstain,
        c.n_both_no + c.n_a_no_b_yes + c.n_a_no_b_abstain,
        c.n_both_abstain + c.n_a_abstain_b_yes + c.n_a_abstain_b_no,
    )
    b = (
        c.n_both_yes + c.n_a_no_b_yes + c.n_a_abstain_b_yes,
        c.n_both_no + c.n_a_yes_b_no + c.n_a_abstain_b_no,
        c.n_both_abstain + c.n_a_yes_b_abstain + c.n_a_no_b_abstain,
    )
    return a, b


def cohen_kappa(c: DyadCounts) -> float | None:
    """Cohen's kappa over yes/no/abstain: (n S - sum a_k b_k) / (n^2 - sum a_k b_k)."""
    a, b = _marginals(c)
    sum_ab = float(sum(x * y for x, y in zip(a, b, strict=True)))
    n = float(c.voted)
    return _ratio(n * c.identical - sum_ab, n * n - sum_ab)


def scott_pi(c: DyadCounts) -> float | None:
    """Scott's pi over yes/no/abstain: (4 n S - sum m_k^2) / (4 n^2 - sum m_k^2), m = a + b."""
    a, b = _marginals(c)
    sum_m2 = float(sum((x + y) ** 2 for x, y in zip(a, b, strict=True)))
    n = float(c.voted)
    return _ratio(4 * n * c.identical - sum_m2, 4 * n**2 - sum_m2)


def measures(c: DyadCounts, year: int) -> dict[str, float | None]:
    """Every measure of one year's counts (the year picks the State Department rule)."""
    return pooled_measures([(year, c)])


def pooled_measures(yearly: Iterable[tuple[int, DyadCounts]]) -> dict[str, float | None]:
    """Every measure over several years: counts are summed first, and the State Department
    coincidence sums each year's numerator and denominator under that year's rule."""
    total = DyadCounts()
    numerator = denominator = 0.0
    for year, counts in yearly:
        total = total + counts
        num, den = state_dept_parts(counts, year)
        numerator += num
        denominator += den
    return {
        "identical_share": identical_share(total),
        "agreement_index": agreement_index(total),
        "coincidence_yes_no": coincidence_yes_no(total),
        "state_dept_coincidence": _ratio(numerator, denominator),
        "cohen_kappa": cohen_kappa(total),
        "scott_pi": scott_pi(total),
        "s_score": s_score(total),
    }


COUNT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(DyadCounts))
