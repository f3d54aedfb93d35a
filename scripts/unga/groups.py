"""What the groups view of the dashboard and the group report read from the serving copy.

Every figure comes from the group marts and analyses (models/marts/groups, models/marts/analysis;
docs/GROUPS.md): fct_group_cohesion for the groups' cohesion by year,
marts.group_members_agreement for the members that break away, marts.country_group_agreement for
a state against the groups' pluralities. Names come from dim_groups and dim_countries. Nothing
here computes a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from unga import serving
from unga.errors import UserError

REQUIRED = (
    "dim_countries",
    "dim_groups",
    "dim_group_memberships",
    "dim_roll_calls",
    "dim_years",
    "fct_group_cohesion",
    "group_members_agreement",
    "country_group_agreement",
)

# The yearly cohesion figures of fct_group_cohesion a reader can chart, with their labels.
COHESION_MEASURES: dict[str, str] = {
    "hix_agreement_index": "Agreement index (Hix, Noury and Roland)",
    "pairwise_identical_share": "Share of identical votes between members",
    "participation_rate": "Members' participation",
}


@dataclass(frozen=True)
class GroupSelection:
    """The groups (in order), the years, and the state compared with the groups."""

    groups: tuple[str, ...]
    start_year: int
    end_year: int
    focal: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "groups": list(dict.fromkeys(self.groups)),
            "start_year": self.start_year,
            "end_year": self.end_year,
        }


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    try:
        return con.execute(sql, params).df()
    except duckdb.InvalidInputException as err:
        # the analyses' own errors (an unknown group or country code) are for the reader
        raise UserError(str(err).removeprefix("Invalid Input Error: ")) from None


def groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """dim_groups, in the order of their codes, with a label for pickers."""
    return _frame(
        con,
        "select *, group_name || ' (' || group_code || ')' as label "
        "from marts.dim_groups order by group_code",
        {},
    )


def groups_of(con: duckdb.DuckDBPyConnection, country: str) -> list[str]:
    """The groups `country` belongs to now (an open membership period)."""
    return list(
        _frame(
            con,
            "select distinct group_code from marts.dim_group_memberships "
            "where country_code = $country and member_to is null order by group_code",
            {"country": country},
        ).group_code
    )


def cohesion_by_year(con: duckdb.DuckDBPyConnection, selection: GroupSelection) -> pd.DataFrame:
    """fct_group_cohesion for the groups and years, with the groups' names."""
    return _frame(
        con,
        """
        select cohesion.*, groups.group_name
        from marts.fct_group_cohesion as cohesion
        inner join marts.dim_groups as groups using (group_code)
        where list_contains($groups, cohesion.group_code)
            and cohesion.year between $start_year and $end_year
        order by cohesion.group_code, cohesion.year
        """,
        selection.params(),
    )


def members_breaking_away(
    con: duckdb.DuckDBPyConnection, selection: GroupSelection
) -> pd.DataFrame:
    """marts.group_members_agreement over the years chosen together (the window rows): each
    member against the rest of its group, the one that voted least often with them first."""
    return _frame(
        con,
        """
        select *
        from marts.group_members_agreement($groups, $start_year, $end_year)
        where period_type = 'window'
        order by group_position, breakaway_rank_identical_share, country_code
        """,
        selection.params(),
    )


def focal_against_groups(con: duckdb.DuckDBPyConnection, selection: GroupSelection) -> pd.DataFrame:
    """marts.country_group_agreement for the focal state and the groups: a row per year and
    group, and a row per group for the years chosen together (period_type window, ranked)."""
    if not selection.focal:
        raise UserError("pick a country to compare with the groups")
    return _frame(
        con,
        """
        select *
        from marts.country_group_agreement($focal, $groups, $start_year, $end_year)
        order by period_type desc, year, group_position
        """,
        selection.params() | {"focal": selection.focal},
    )


def partial_years(con: duckdb.DuckDBPyConnection, selection: GroupSelection) -> pd.DataFrame:
    """The years of the selection that the data cover only in part (marts.dim_years)."""
    return serving.partial_years(con, selection.start_year, selection.end_year)


def require_groups(chosen: Sequence[str]) -> None:
    if not chosen:
        raise UserError("pick at least one group")
