"""The groups view of the dashboard (a page of the Streamlit app): pick groups of states and
years, see their cohesion over time and the members that break away most, and a country against
the groups' majorities. Every figure comes from the group marts and analyses of the serving copy
(unga.groups); the page computes nothing itself.
"""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd
import streamlit as st
from unga import groups, serving
from unga.dashboard import data, widgets
from unga.errors import UserError

NUMBER = st.column_config.NumberColumn
TEXT = st.column_config.TextColumn
SHARE = "%.3f"
BREAKAWAY_COLUMNS = {
    "group_code": TEXT("Group"),
    "breakaway_rank_identical_share": NUMBER("Rank", help="1 = voted least often with the rest"),
    "country_code": TEXT("Code"),
    "country_name": TEXT("Member"),
    "identical_share": NUMBER("With the rest's plurality", format=SHARE),
    "agreement_index": NUMBER("Agreement index", format=SHARE),
    "n_roll_calls": NUMBER("Roll calls compared"),
    "n_plurality_ties": NUMBER("Others tied", help="Left out of the figures"),
    "member_participation": NUMBER("Participation", format="percent"),
}
FOCAL_COLUMNS = {
    "rank": NUMBER("Rank", help="1 = the group the country voted with most"),
    "group_code": TEXT("Group"),
    "group_name": TEXT("Name"),
    "n_roll_calls": NUMBER("Roll calls compared"),
    "n_plurality_ties": NUMBER("Group tied", help="Left out of the figures"),
    "n_group_member_roll_calls": NUMBER("As a member"),
    "focal_participation": NUMBER("Country's participation", format="percent"),
}
BREAKAWAY_SHOWN = 10


def _line_chart(frame: pd.DataFrame, value: str, label: str, years: tuple[int, int]) -> None:
    order = list(dict.fromkeys(frame.series))
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "year:Q",
                title="Year",
                scale=alt.Scale(domain=list(years), nice=False),
                axis=alt.Axis(format="d", tickMinStep=1),
            ),
            y=alt.Y(f"{value}:Q", title=label),
            color=alt.Color("series:N", title="Group", sort=order),
            tooltip=[
                alt.Tooltip("series:N", title="Group"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip(f"{value}:Q", title=label, format=".3f"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")


def _sidebar(
    con: duckdb.DuckDBPyConnection, choices: data.Choices
) -> tuple[groups.GroupSelection, str]:
    listed = groups.groups(con)
    labels = dict(zip(listed.group_code, listed.label, strict=True))
    countries = dict(zip(choices.countries.country_code, choices.countries.label, strict=True))
    default = choices.default
    side = st.sidebar
    side.header("Groups")
    focal = side.selectbox(
        "Country compared with the groups",
        list(countries),
        index=list(countries).index(default.focal),
        format_func=countries.__getitem__,
        key="group_focal",
    )
    picked = side.multiselect(
        "Groups",
        list(labels),
        default=[g for g in groups.groups_of(con, default.focal) if g in labels][:4],
        format_func=labels.__getitem__,
        key="groups",
    )
    start_year, end_year = widgets.years(side, choices, key="group_years")
    measure = side.selectbox(
        "Measure of a country against a group",
        list(choices.measures),
        format_func=choices.measures.__getitem__,
        key="group_measure",
    )
    side.caption(
        "Membership counts on the date of each vote (docs/GROUPS.md). A country is compared "
        "with the plurality of the group's other members; roll calls on which they tie are "
        "left out. Figures over several years come from the counts summed over those years."
    )
    return groups.GroupSelection(tuple(picked), int(start_year), int(end_year), focal), measure


def _cohesion_section(con: duckdb.DuckDBPyConnection, selection: groups.GroupSelection) -> None:
    st.subheader("Cohesion over time")
    cohesion = groups.cohesion_by_year(con, selection)
    if cohesion.empty:
        st.info("None of these groups had members in the years selected.")
        return
    shown = st.radio(
        "Figure",
        list(groups.COHESION_MEASURES),
        format_func=groups.COHESION_MEASURES.__getitem__,
        horizontal=True,
        key="group_cohesion_measure",
    )
    series = cohesion.assign(series=cohesion.group_name + " (" + cohesion.group_code + ")")
    _line_chart(
        series[["year", "series", shown]],
        shown,
        groups.COHESION_MEASURES[shown],
        (selection.start_year, selection.end_year),
    )
    st.caption(
        "Agreement index: 1 when all members who voted voted alike, 0 when they split evenly "
        "between yes, no and abstain (Hix, Noury and Roland 2005), averaged over the year's "
        "roll calls. Absent members do not lower it: read the participation beside it."
    )
    table = cohesion[
        [
            "group_code",
            "year",
            "n_member_states",
            "n_roll_calls",
            "hix_agreement_index",
            "pairwise_identical_share",
            "participation_rate",
        ]
    ]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "group_code": TEXT("Group"),
            "year": NUMBER("Year", format="%d"),
            "n_member_states": NUMBER("Members"),
            "n_roll_calls": NUMBER("Roll calls"),
            "hix_agreement_index": NUMBER("Agreement index", format=SHARE),
            "pairwise_identical_share": NUMBER("Identical votes, pairs", format=SHARE),
            "participation_rate": NUMBER("Participation", format="percent"),
        },
    )
    widgets.download(table, "group_cohesion")


def _breakaway_section(con: duckdb.DuckDBPyConnection, selection: groups.GroupSelection) -> None:
    period = f"{selection.start_year}-{selection.end_year}"
    st.subheader(f"Members that break away most, {period}")
    members = groups.members_breaking_away(con, selection)
    if members.empty:
        st.info("No member of these groups voted in the years selected.")
        return
    st.caption(
        f"Each member against the plurality of the group's other members, on the roll calls "
        f"on which it was a member; the {BREAKAWAY_SHOWN} that voted least often with them "
        "first, per group."
    )
    table = members[members.breakaway_rank_identical_share <= BREAKAWAY_SHOWN][
        list(BREAKAWAY_COLUMNS)
    ].reset_index(drop=True)
    st.dataframe(table, hide_index=True, column_config=BREAKAWAY_COLUMNS)
    widgets.download(members, "group_members_agreement")


def _focal_section(
    con: duckdb.DuckDBPyConnection,
    selection: groups.GroupSelection,
    measure: str,
    label: str,
    country: str,
) -> None:
    period = f"{selection.start_year}-{selection.end_year}"
    st.subheader(f"{country} against the groups' majorities")
    against = groups.focal_against_groups(con, selection)
    if against.empty:
        st.info(f"{country} did not vote in the years selected.")
        return
    yearly = against[against.period_type == "year"]
    series = yearly.assign(series=yearly.group_name + " (" + yearly.group_code + ")")
    years = (selection.start_year, selection.end_year)
    _line_chart(series[["year", "series", measure]], measure, label, years)
    window = against[against.period_type == "window"].sort_values(
        [f"rank_{measure}", "group_position"], na_position="last"
    )
    columns = ["rank", "group_code", "group_name", measure, *list(FOCAL_COLUMNS)[3:]]
    table = window.rename(columns={f"rank_{measure}": "rank"})[columns].reset_index(drop=True)
    st.caption(f"Over {period}, the groups ranked by {label.lower()}:")
    st.dataframe(
        table, hide_index=True, column_config=FOCAL_COLUMNS | {measure: NUMBER(label, format=SHARE)}
    )
    widgets.download(against, "country_group_agreement")


def render(con: duckdb.DuckDBPyConnection) -> None:
    choices = data.choices(con)
    selection, measure = _sidebar(con, choices)
    st.title("Groups of states in the UN General Assembly")
    if not selection.groups:
        st.info("Pick at least one group in the sidebar.")
        return
    for row in groups.partial_years(con, selection).itertuples():
        st.warning(
            f"{row.year} is a partial year: the data end on {row.last_vote_date:%Y-%m-%d} "
            f"({row.n_roll_calls} roll calls in {row.year}); its figures cover those only."
        )
    _cohesion_section(con, selection)
    _breakaway_section(con, selection)
    country = choices.countries.set_index("country_code").label[selection.focal]
    _focal_section(con, selection, measure, choices.measures[measure], country)


def main() -> None:
    st.set_page_config(page_title="UNGA groups", layout="wide")
    try:
        con = serving.connect(serving.serving_path(), data.REQUIRED + groups.REQUIRED)
    except UserError as err:
        st.error(str(err))
        return
    try:
        render(con)
    except UserError as err:
        st.error(str(err))
    finally:
        con.close()


main()
