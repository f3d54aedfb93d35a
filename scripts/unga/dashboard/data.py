"""What the dashboard shows, read from the serving copy for any selection.

Every figure comes from the parameterised analyses of the marts schema (DuckDB table macros
that dbt creates, models/marts/analysis): marts.focal_cohesion for cohesion by year and the
ranking over the years chosen, marts.split_votes and marts.split_vote_summary for the split
votes, marts.dyad_roll_calls for the roll calls behind a count. Labels come from the marts
(dim_countries, dim_topics, dim_measures). Nothing here computes a figure, and nothing writes:
the serving copy is attached read-only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from unga import serving
from unga.errors import UserError

REQUIRED = (
    "dim_countries",
    "dim_roll_calls",
    "dim_years",
    "dim_topics",
    "dim_measures",
    "fct_focal_cohesion",
    "focal_cohesion",
    "split_votes",
    "split_vote_summary",
    "dyad_roll_calls",
)
ALL_TOPICS = "all"

VOTE_LABELS = {"Y": "yes", "N": "no", "A": "abstain", "X": "non-voting"}

# The kinds of agreement of marts.dyad_roll_calls (macros/dyads.sql), a = focal, b = reference.
DYAD_CATEGORIES: dict[str, str] = {
    "identical": "identical votes",
    "opposite": "opposite votes (yes/no)",
    "one_abstains": "one abstained, the other voted",
    "a_absent": "focal country non-voting",
    "b_absent": "reference non-voting",
    "both_absent": "both non-voting",
}
# How the focal country voted when two references split (marts.split_votes).
ALIGNMENTS: dict[str, str] = {
    "with_first": "with the first",
    "with_second": "with the second",
    "abstained": "abstained",
    "with_neither": "with neither",
    "absent": "absent",
}


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the serving copy read-only, with every mart and analysis the dashboard uses."""
    return serving.connect(path, REQUIRED)


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
    """Run `sql` with the named parameters it uses (DuckDB refuses unused ones)."""
    named = set(re.findall(r"\$(\w+)", sql))
    used = {k: v for k, v in params.items() if k in named}
    try:
        return con.execute(sql, used).df()
    except duckdb.InvalidInputException as err:
        # the analyses' own errors (an unknown code or topic) are for the reader
        raise UserError(str(err).removeprefix("Invalid Input Error: ")) from None


@dataclass(frozen=True)
class Selection:
    """What the reader picked: focal country, references (in order), years, topic."""

    focal: str
    references: tuple[str, ...]
    start_year: int
    end_year: int
    topic: str = ALL_TOPICS

    @property
    def reference_list(self) -> list[str]:
        """The references as picked, without duplicates and without the focal country."""
        return [c for c in dict.fromkeys(self.references) if c != self.focal]

    def params(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "refs": self.reference_list,
            "start_year": self.start_year,
            "end_year": self.end_year,
            "topic": self.topic,
        }


@dataclass(frozen=True)
class Choices:
    """What can be picked, and what is picked first."""

    countries: pd.DataFrame  # country_code, country_name, label
    first_year: int
    last_year: int
    topics: dict[str, str]  # code -> name: 'all' first, then by name
    measures: dict[str, str]  # code -> name, in the order of the marts
    default: Selection


def choices(con: duckdb.DuckDBPyConnection) -> Choices:
    countries = _df(
        con,
        """
        select country_code, country_name, country_name || ' (' || country_code || ')' as label
        from marts.dim_countries
        where country_code in (select distinct country_code from marts.fct_votes)
        order by country_name
        """,
        {},
    )
    if countries.empty:
        raise UserError("the serving copy holds no votes: run `make build` with a source")
    first_year, last_year = con.execute(
        "select min(year), max(year) from marts.dim_roll_calls"
    ).fetchone() or (None, None)
    topics = {ALL_TOPICS: "All topics"} | dict(
        con.execute(
            "select topic_code, topic_name from marts.dim_topics order by topic_name"
        ).fetchall()
    )
    measures = dict(
        con.execute(
            "select measure_code, measure_name from marts.dim_measures order by measure_position"
        ).fetchall()
    )
    return Choices(
        countries=countries,
        first_year=int(first_year),
        last_year=int(last_year),
        topics=topics,
        measures=measures,
        default=_default_selection(con, countries, int(first_year), int(last_year)),
    )


def _default_selection(
    con: duckdb.DuckDBPyConnection, countries: pd.DataFrame, first_year: int, last_year: int
) -> Selection:
    """The selection of the last build (fct_focal_cohesion), else the first country."""
    known = set(countries["country_code"])
    rows = con.execute(
        """
        select focal_country, reference_country, start_year, end_year
        from marts.fct_focal_cohesion
        where period_type = 'window' and topic_code = 'all'
        order by reference_position
        """
    ).fetchall()
    if rows and rows[0][0] in known:
        refs = tuple(r[1] for r in rows if r[1] in known)
        start = max(first_year, min(int(rows[0][2]), last_year))
        end = min(last_year, max(int(rows[0][3]), start))
        return Selection(rows[0][0], refs, start, end)
    return Selection(
        str(countries["country_code"].iloc[0]), (), max(first_year, last_year - 9), last_year
    )


def cohesion(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """marts.focal_cohesion for the selection and its topic: a row per year (period_type year)
    and reference, and a row per reference for the years chosen together (period_type window,
    measures from the summed counts, with the ranks)."""
    return _df(
        con,
        """
        select *
        from marts.focal_cohesion($focal, $refs, $start_year, $end_year)
        where topic_code = $topic
        order by period_type desc, year, reference_position
        """,
        selection.params(),
    )


def split_votes(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """marts.split_votes for the selection: one row per roll call and pair of references that
    split, and how the focal country voted."""
    return _df(
        con,
        "select * from marts.split_votes($focal, $refs, $start_year, $end_year, topic := $topic)",
        selection.params(),
    )


def split_summary(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """marts.split_vote_summary for the selection, over all its years (the window rows)."""
    return _df(
        con,
        """
        select * exclude (period_type, period, year)
        from marts.split_vote_summary($focal, $refs, $start_year, $end_year, topic := $topic)
        where period_type = 'window'
        """,
        selection.params(),
    )


def dyad_roll_calls(
    con: duckdb.DuckDBPyConnection, selection: Selection, reference: str, category: str
) -> pd.DataFrame:
    """The roll calls behind one count of the focal country with `reference`
    (marts.dyad_roll_calls, one kind of agreement)."""
    if category not in DYAD_CATEGORIES:
        raise UserError(f"unknown category {category!r}: pick one of {', '.join(DYAD_CATEGORIES)}")
    return _df(
        con,
        """
        select
            resolution_symbol, vote_date, title, vote_a as focal_vote,
            vote_b as reference_vote, undl_link, roll_call_id
        from marts.dyad_roll_calls($focal, $reference, $start_year, $end_year, topic := $topic)
        where agreement = $category
        """,
        selection.params() | {"reference": reference, "category": category},
    )


def partial_years(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The years of the selection that the data cover only in part (marts.dim_years)."""
    return serving.partial_years(con, selection.start_year, selection.end_year)


def ideal_points(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The ideal points of the focal country and the references over the years of the selection
    (marts.fct_ideal_points), with their 90% intervals and the votes they rest on."""
    return _df(
        con,
        """
        select
            ideal_points.year,
            ideal_points.country_code,
            countries.country_name,
            ideal_points.ideal_point,
            ideal_points.lower_90,
            ideal_points.upper_90,
            ideal_points.n_votes
        from marts.fct_ideal_points as ideal_points
        inner join marts.dim_countries as countries
            on ideal_points.country_code = countries.country_code
        where
            (ideal_points.country_code = $focal or list_contains($refs, ideal_points.country_code))
            and ideal_points.year between $start_year and $end_year
        order by ideal_points.country_code, ideal_points.year
        """,
        selection.params(),
    )
