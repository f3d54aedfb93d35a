"""The voting-cohesion dashboard (Streamlit), read-only on the published serving copy.

Run it with `make dashboard` (or `streamlit run scripts/unga/dashboard/Cohesion.py`). The serving
copy is $UNGA_SERVING, else serving.duckdb beside $UNGA_DB, else warehouse/serving.duckdb. Each
run of the page opens the copy afresh, so a build that publishes a new one is seen on the next
interaction, and one run never mixes two copies.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from unga import serving
from unga.dashboard import data, widgets
from unga.errors import UserError

NUMBER = st.column_config.NumberColumn
TEXT = st.column_config.TextColumn
PERCENT = "percent"
RANKING_COLUMNS = {
    "rank": NUMBER("Rank", width="small"),
    "reference_country": TEXT("Code", width="small"),
    "reference_country_name": TEXT("Reference", width="medium"),
    "n_roll_calls": NUMBER("Roll calls", help="Roll calls on which both were members"),
    "focal_participation": NUMBER(
        "Focal voted on",
        format=PERCENT,
        help="Share of the roll calls held while a member on which the focal country voted "
        "yes, no or abstained",
    ),
    "reference_participation": NUMBER(
        "Reference voted on",
        format=PERCENT,
        help="Share of the roll calls held while a member on which the reference voted yes, no "
        "or abstained: a state that stays away scores no disagreement with anybody",
    ),
    "ideal_point_distance": NUMBER(
        "Ideal-point distance",
        format="%.2f",
        help="Distance between the two states' ideal points, mean over the years (all roll "
        "calls whatever the topic; docs/IDEAL_POINTS.md)",
    ),
}
COUNT_COLUMNS = {
    "reference_country": TEXT("Code", width="small"),
    "reference_country_name": TEXT("Reference", width="medium"),
    "n_roll_calls": NUMBER("Roll calls", help="Roll calls on which both were members"),
    "n_both_yes": NUMBER("Both yes"),
    "n_both_no": NUMBER("Both no"),
    "n_both_abstain": NUMBER("Both abstained"),
    "n_opposite": NUMBER("Opposite", help="One voted yes, the other no"),
    "n_a_abstains": NUMBER("Focal abstained", help="The other voted yes or no"),
    "n_b_abstains": NUMBER("Ref. abstained", help="The focal country voted yes or no"),
    "n_a_absent": NUMBER("Focal non-voting"),
    "n_b_absent": NUMBER("Ref. non-voting"),
    "n_both_absent": NUMBER("Both non-voting"),
}
SPLIT_COLUMNS = {
    "first_country": TEXT("First", width="small"),
    "second_country": TEXT("Second", width="small"),
    "split_type": TEXT("Split", width="small"),
    "n_splits": NUMBER("Splits"),
    **{f"n_{a}": NUMBER(label.capitalize()) for a, label in data.ALIGNMENTS.items()},
}
AGREEMENT = "Agreement with a reference"
SPLITS = "Split votes"


def _sidebar(choices: data.Choices, labels: dict[str, str]) -> tuple[data.Selection, str]:
    codes = list(labels)
    default = choices.default
    side = st.sidebar
    side.header("Selection")
    focal = side.selectbox(
        "Focal country",
        codes,
        index=codes.index(default.focal),
        format_func=labels.__getitem__,
        key="focal",
    )
    references = side.multiselect(
        "Reference countries",
        codes,
        default=list(default.references),
        format_func=labels.__getitem__,
        key="references",
    )
    start_year, end_year = widgets.years(side, choices, key="years")
    measure = side.selectbox(
        "Measure", list(choices.measures), format_func=choices.measures.__getitem__, key="measure"
    )
    topic = side.selectbox(
        "Topic", list(choices.topics), format_func=choices.topics.__getitem__, key="topic"
    )
    side.caption(
        "Measures over several years are computed from the vote counts summed over those "
        "years, not averaged. Only votes cast while both states were UN members count."
    )
    selection = data.Selection(focal, tuple(references), int(start_year), int(end_year), topic)
    return selection, measure


def _cohesion_chart(
    by_year: pd.DataFrame, measure: str, label: str, selection: data.Selection
) -> pd.DataFrame:
    shown = by_year[
        ["year", "reference_country", "reference_country_name", measure, "n_roll_calls"]
    ].reset_index(drop=True)
    order = list(dict.fromkeys(by_year.sort_values("reference_position").reference_country_name))
    years = alt.Scale(domain=[selection.start_year, selection.end_year], nice=False)
    chart = (
        alt.Chart(shown)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title="Year", scale=years, axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(f"{measure}:Q", title=label),
            color=alt.Color(
                "reference_country_name:N",
                title="Reference",
                sort=order,
                scale=alt.Scale(domain=order, scheme="tableau10"),
            ),
            tooltip=[
                alt.Tooltip("reference_country_name:N", title="Reference"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip(f"{measure}:Q", title=label, format=".3f"),
                alt.Tooltip("n_roll_calls:Q", title="Roll calls, both members"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")
    return shown


def _split_section(con: duckdb.DuckDBPyConnection, selection: data.Selection) -> pd.DataFrame:
    st.subheader("Split votes")
    if len(selection.reference_list) < 2:
        st.info(
            "Pick at least two reference countries to see how the focal country voted when "
            "they split."
        )
        return pd.DataFrame()
    splits = data.split_votes(con, selection)
    summary = data.split_summary(con, selection)
    st.caption(
        "Roll calls on which two references split: full split, one voted yes and the other no; "
        "partial split, one abstained and the other voted yes or no. How the focal country "
        "voted: with the first or the second of the pair, abstained (full splits), with neither "
        "(voted the opposite of the one that voted, partial splits) or absent."
    )
    if summary.empty:
        st.info("The reference countries never split on the roll calls selected.")
        return splits
    # the counts; their shares of n_splits are in marts.split_vote_summary
    summary = summary[list(SPLIT_COLUMNS)]
    st.dataframe(summary, hide_index=True, column_config=SPLIT_COLUMNS)
    widgets.download(summary, "split_votes")
    return splits


def _drill_down(
    con: duckdb.DuckDBPyConnection,
    selection: data.Selection,
    labels: dict[str, str],
    splits: pd.DataFrame,
) -> None:
    st.subheader("Roll calls behind a number")
    kinds = [AGREEMENT, SPLITS] if not splits.empty else [AGREEMENT]
    kind = st.radio("Count", kinds, horizontal=True, key="drill_kind")
    left, right = st.columns(2)
    if kind == AGREEMENT:
        reference = left.selectbox(
            "Reference country",
            selection.reference_list,
            format_func=labels.__getitem__,
            key="drill_reference",
        )
        category = right.selectbox(
            "Votes",
            list(data.DYAD_CATEGORIES),
            format_func=data.DYAD_CATEGORIES.__getitem__,
            key="drill_category",
        )
        roll_calls = data.dyad_roll_calls(con, selection, reference, category)
        name = f"roll_calls_{selection.focal}_{reference}_{category}"
    else:
        pairs = list(dict.fromkeys(zip(splits.first_country, splits.second_country, strict=True)))
        pair = left.selectbox(
            "Pair of references",
            pairs,
            format_func=lambda p: f"{labels[p[0]]} / {labels[p[1]]}",
            key="drill_pair",
        )
        in_pair = splits[(splits.first_country == pair[0]) & (splits.second_country == pair[1])]
        alignment = right.selectbox(
            "Focal country voted",
            list(data.ALIGNMENTS),
            format_func=data.ALIGNMENTS.__getitem__,
            key="drill_alignment",
        )
        roll_calls = in_pair.loc[
            in_pair.focal_alignment == alignment,
            [
                "resolution_symbol",
                "vote_date",
                "title",
                "split_type",
                "first_vote",
                "second_vote",
                "focal_vote",
                "reference_votes",
                "undl_link",
                "roll_call_id",
            ],
        ].reset_index(drop=True)
        name = f"split_roll_calls_{selection.focal}_{pair[0]}_{pair[1]}_{alignment}"
    shown = roll_calls.replace(
        {c: data.VOTE_LABELS for c in roll_calls.columns if c.endswith("_vote")}
    )
    st.caption(f"{len(shown)} roll calls; each links to its record in the UN Digital Library.")
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            "resolution_symbol": TEXT("Symbol", width="small"),
            "vote_date": st.column_config.DateColumn("Date", width="small"),
            "title": TEXT("Title", width="large"),
            "undl_link": st.column_config.LinkColumn("UN Digital Library", display_text="record"),
            "roll_call_id": NUMBER("Record id", format="%d"),
        },
    )
    widgets.download(shown, name)


def _ranking(window: pd.DataFrame, measure: str, label: str) -> None:
    """The references ranked by the measure, with how often each side voted."""
    columns = ["rank", "reference_country", "reference_country_name", measure,
               *list(RANKING_COLUMNS)[3:]]  # fmt: skip
    shown = window.rename(columns={f"rank_{measure}": "rank"})[columns].reset_index(drop=True)
    st.dataframe(
        shown,
        hide_index=True,
        column_config=RANKING_COLUMNS | {measure: NUMBER(label, format="%.3f")},
    )
    widgets.download(shown, "ranking")


def _partial_years(con: duckdb.DuckDBPyConnection, selection: data.Selection) -> None:
    """A warning for each year of the selection that the data cover only in part."""
    for row in data.partial_years(con, selection).itertuples():
        st.warning(
            f"{row.year} is a partial year: the data end on {row.last_vote_date:%Y-%m-%d} "
            f"({row.n_roll_calls} roll calls in {row.year}); its figures cover those only."
        )


def _ideal_points(con: duckdb.DuckDBPyConnection, selection: data.Selection) -> None:
    """The selected states on the ideal-point scale, year by year, with their 90% intervals."""
    st.subheader("Ideal points")
    points = data.ideal_points(con, selection)
    if points.empty:
        st.info("No ideal points for these states in the years selected.")
        return
    st.caption(
        "Each state's position on one scale estimated from all its votes (a dynamic ordered "
        "probit after Bailey, Strezhnev and Voeten 2017; docs/IDEAL_POINTS.md): the United "
        "States at the positive end, mean 0 and standard deviation 1 over all state-years. "
        "Bands: 90% intervals. Unlike agreement scores, positions do not move when the agenda "
        "does."
    )
    order = [
        *points.loc[points.country_code == selection.focal, "country_name"].unique(),
        *(
            name
            for code in selection.reference_list
            for name in points.loc[points.country_code == code, "country_name"].unique()
        ),
    ]
    color = alt.Color(
        "country_name:N",
        title="State",
        sort=order,
        scale=alt.Scale(domain=order, scheme="tableau10"),
    )
    x = alt.X(
        "year:Q",
        title="Year",
        scale=alt.Scale(domain=[selection.start_year, selection.end_year], nice=False),
        axis=alt.Axis(format="d", tickMinStep=1),
    )
    base = alt.Chart(points).encode(x=x, color=color)
    band = base.mark_area(opacity=0.18).encode(y="lower_90:Q", y2="upper_90:Q")
    line = base.mark_line(point=True).encode(
        y=alt.Y("ideal_point:Q", title="Ideal point"),
        tooltip=[
            alt.Tooltip("country_name:N", title="State"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("ideal_point:Q", title="Ideal point", format=".2f"),
            alt.Tooltip("lower_90:Q", title="90% interval from", format=".2f"),
            alt.Tooltip("upper_90:Q", title="to", format=".2f"),
            alt.Tooltip("n_votes:Q", title="Votes it rests on"),
        ],
    )
    st.altair_chart(band + line, width="stretch")
    widgets.download(points, "ideal_points")


def render(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    choices = data.choices(con)
    labels = dict(zip(choices.countries.country_code, choices.countries.label, strict=True))
    selection, measure = _sidebar(choices, labels)
    label = choices.measures[measure]
    published = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    st.title("UN General Assembly voting cohesion")
    st.caption(
        f"Serving copy {path} (published {published}). Source: UN Digital Library, General "
        "Assembly Voting Data (recorded votes)."
    )
    refs = selection.reference_list
    if not refs:
        st.info(
            "Pick at least one reference country, other than the focal country, in the sidebar."
        )
        return
    period = f"{selection.start_year}-{selection.end_year}"
    topic = f", {choices.topics[selection.topic]}" if selection.topic != data.ALL_TOPICS else ""
    st.header(f"{labels[selection.focal]}: {label}, {period}{topic}")

    _partial_years(con, selection)
    measured = data.cohesion(con, selection)
    by_year = measured[measured.period_type == "year"]
    st.subheader("Cohesion over time")
    if by_year.empty:
        st.info("No roll calls in the years selected.")
        return
    series = _cohesion_chart(by_year, measure, label, selection)
    widgets.download(series, "cohesion_by_year")

    st.subheader(f"Ranking, {period}")
    window = measured[measured.period_type == "window"].sort_values(
        [f"rank_{measure}", "reference_position"], na_position="last"
    )
    _ranking(window, measure, label)
    st.subheader(f"Vote counts, {period}")
    counts = window[list(COUNT_COLUMNS)].reset_index(drop=True)
    st.dataframe(counts, hide_index=True, column_config=COUNT_COLUMNS)
    widgets.download(counts, "vote_counts")

    _ideal_points(con, selection)
    splits = _split_section(con, selection)
    _drill_down(con, selection, labels, splits)


def main() -> None:
    st.set_page_config(page_title="UNGA voting cohesion", layout="wide")
    path = serving.serving_path()
    try:
        con = data.connect(path)
    except UserError as err:
        st.error(str(err))
        return
    try:
        render(con, path)
    except UserError as err:
        st.error(str(err))
    finally:
        con.close()


main()
