"""The reproduction report: a focal country's voting cohesion with reference countries.

Writes a Markdown report with PNG charts for one selection (focal country, references, years)
from the published serving copy: every number comes from the parameterised analyses of the
marts (marts.focal_cohesion, marts.split_vote_summary, marts.conflict_resolution_votes), the
labels from the marts (dim_measures), the sources from the publication's manifest. The report
computes nothing but formatting. Without a selection it reports on the selection of the last
build (the dbt vars focal_country, reference_countries, start_year, end_year, as in
marts.fct_focal_cohesion).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd

from unga import serving
from unga.errors import UserError

REQUIRED = (
    "dim_measures",
    "fct_ideal_points",
    "dim_years",
    "fct_focal_cohesion",
    "focal_cohesion",
    "split_vote_summary",
    "conflict_resolution_votes",
)
REPORT_NAME = "report.md"
REPORTS_ENV = "UNGA_REPORTS"
SOURCE_NAMES = {
    "undl": "UN Digital Library, General Assembly Voting Data",
    "unvotes": "Voeten's roll-call data (unvotes package)",
    "voeten": "Voeten's roll-call data (Harvard Dataverse)",
    "dgacm": "DGACM resolution extracts",
}


@dataclass(frozen=True)
class Selection:
    """The focal country, the references (in order) and the years of a report."""

    focal: str
    references: tuple[str, ...]
    start_year: int
    end_year: int

    @property
    def folder_name(self) -> str:
        """reports/<folder_name>/: one folder per selection, so reports never overwrite."""
        refs = "-".join(self.references)
        return f"{self.focal}_{self.start_year}-{self.end_year}_{refs}"


def build_selection(
    con: duckdb.DuckDBPyConnection,
    focal: str | None,
    references: Sequence[str] | None,
    start_year: int | None,
    end_year: int | None,
) -> Selection:
    """The selection asked for, completed from the selection of the last build."""
    rows = con.execute(
        """
        select focal_country, reference_country, start_year, end_year
        from marts.fct_focal_cohesion
        where period_type = 'window' and topic_code = 'all'
        order by reference_position
        """
    ).fetchall()
    if not rows and not (focal and references):
        raise UserError("give the focal country and the references: the last build has none")
    default_refs = tuple(r[1] for r in rows)
    chosen = tuple(r.strip().upper() for r in references or default_refs if r.strip())
    return Selection(
        focal=(focal or rows[0][0]).strip().upper(),
        references=tuple(dict.fromkeys(chosen)),
        start_year=int(start_year if start_year is not None else rows[0][2]),
        end_year=int(end_year if end_year is not None else rows[0][3]),
    )


def _fmt(value: object, digits: int = 3, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if percent:
        return f"{float(value):.1%}"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    header = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = [
        "| " + " | ".join(_fmt(v, digits) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows])


def _pyplot() -> ModuleType:
    """matplotlib's pyplot on the file-only Agg backend, imported when a chart is drawn (so that
    the other commands of the CLI do not pay for it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def year_ticks(years: Sequence[int], most: int = 12) -> list[int]:
    """Year ticks a reader can tell apart: every 1, 2, 5, 10, ... years, at most `most`, on
    round years."""
    first, last = min(years), max(years)
    for step in (1, 2, 5, 10, 20, 25, 50):
        if (last - first) // step + 1 <= most:
            break
    return [y for y in range(first, last + 1) if y % step == 0 or step == 1]


def line_chart(yearly: pd.DataFrame, measure: str, label: str, title: str, partial: pd.DataFrame,
                path: Path) -> None:  # fmt: skip
    """One line per reference over the years; the legend outside the plot; a partial year
    marked and named under the chart."""
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=110)
    for (code, name), group in yearly.groupby(
        ["reference_country", "reference_country_name"], sort=False
    ):
        group = group.sort_values("year")
        ax.plot(group["year"], group[measure], marker="o", linewidth=2, label=f"{name} ({code})")
    ax.set_xlabel("year")
    ax.set_ylabel(label)
    ax.set_title(title, fontsize=11)
    ax.grid(alpha=0.3)
    ax.set_xticks(year_ticks(yearly["year"].astype(int).tolist()))
    for row in partial.itertuples():
        ax.axvspan(row.year - 0.5, row.year + 0.5, color="grey", alpha=0.15, linewidth=0)
        ax.annotate(
            f"{row.year}: partial year",
            xy=(row.year, 1.0),
            xycoords=("data", "axes fraction"),
            ha="right",
            va="top",
            fontsize=8,
            color="dimgrey",
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _split_chart(summary: pd.DataFrame, focal: str, title: str, path: Path) -> None:
    """How the focal state voted on the full splits of each pair: stacked shares, the number of
    splits beside each pair, every part labelled with its count (zero included)."""
    plt = _pyplot()

    labels = [
        f"{r.first_country} vs {r.second_country} ({r.n_splits:,} splits)"
        for r in summary.itertuples()
    ]
    parts = [
        ("n_with_first", "with the first named"),
        ("n_with_second", "with the second named"),
        ("n_abstained", "abstained"),
        ("n_absent", "absent"),
    ]
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(labels) + 2.0), dpi=110)
    left = [0.0] * len(labels)
    for column, label in parts:
        shares = (summary[column] / summary["n_splits"]).tolist()
        bars = ax.barh(labels, shares, left=left, label=label)
        ax.bar_label(
            bars,
            labels=[f"{n:,}" if share >= 0.04 else "" for n, share in
                    zip(summary[column], shares, strict=True)],
            label_type="center",
            fontsize=8,
        )  # fmt: skip
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of the full splits (one yes, the other no) by how {focal} voted")
    ax.set_title(title, fontsize=11, pad=28)
    ax.invert_yaxis()
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=9, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _topic_chart(table: pd.DataFrame, names: list[str], title: str, path: Path) -> None:
    """Grouped bars per topic; every bar labelled with its value, so a zero shows as 0.000
    rather than as a missing bar."""
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(11, 0.2 * len(table) * max(2, len(names)) + 1.8), dpi=110)
    height = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        positions = [y + i * height for y in range(len(table))]
        values = table[name].tolist()
        bars = ax.barh(positions, values, height=height, label=name)
        ax.bar_label(
            bars, labels=["-" if pd.isna(v) else f"{v:.3f}" for v in values], padding=2,
            fontsize=7,
        )  # fmt: skip
    ax.set_yticks([y + 0.4 - height / 2 for y in range(len(table))])
    ax.set_yticklabels(table.index)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("share of identical votes")
    ax.set_title(title, fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def ranking_sentence(frame: pd.DataFrame, measure: str) -> str:
    """The references in the order of their rank by `measure`, each with its value and its
    participation (the share of the roll calls, held while a member, on which it voted)."""
    ordered = frame.sort_values([f"rank_{measure}", "reference_position"], na_position="last")
    return " > ".join(
        f"{r.reference_country_name} ({_fmt(getattr(r, measure))}; voted on "
        f"{_fmt(r.reference_participation, percent=True)})"
        for r in ordered.itertuples()
    )


def _topic_section(add, by_topic: pd.DataFrame, window: pd.DataFrame, focal_name: str,
                   chart: Path) -> None:  # fmt: skip
    refs = window.sort_values("reference_position")["reference_country_name"].tolist()
    period = window.iloc[0]["period"]
    add("## By topic")
    add("")
    add(
        "Roll calls classified by topic (marts.dim_roll_call_topics, rules in "
        "seeds/topic_rules.csv; a roll call can have several topics). `foreign_policy` groups the "
        "topics of international relations and foreign policy (docs/TOPICS.md)."
    )
    add("")
    fp = by_topic[by_topic["topic_code"] == "foreign_policy"].sort_values("rank_identical_share")
    if not fp.empty:
        first = fp.iloc[0]
        add(
            f"**Foreign policy only** ({int(first['n_roll_calls_in_period']):,} roll calls in "
            f"{period}; {focal_name} voted on {_fmt(first.focal_participation, percent=True)} "
            f"of them): by share of identical votes {ranking_sentence(fp, 'identical_share')}; "
            f"by agreement index {ranking_sentence(fp, 'agreement_index')}."
        )
        add("")
    wide = by_topic.pivot_table(
        index=["topic_name", "n_roll_calls_in_period"], columns="reference_country_name",
        values="identical_share", sort=False,
    ).reindex(columns=refs)  # fmt: skip
    wide = wide.reset_index().sort_values("n_roll_calls_in_period", ascending=False)
    labelled = wide.assign(
        label=[f"{t} ({n:,})" for t, n in zip(wide.topic_name, wide.n_roll_calls_in_period,
                                               strict=True)]
    )  # fmt: skip
    _topic_chart(
        labelled.set_index("label")[refs],
        refs,
        f"{focal_name}: share of identical votes by topic (roll calls), {period}",
        chart,
    )
    add(f"![Share of identical votes by topic]({chart.name})")
    add("")
    add(f"Share of identical votes by topic, {period}:")
    add("")
    names = {"topic_name": "topic", "n_roll_calls_in_period": "roll calls"}
    add(markdown_table(wide.rename(columns=names)))
    add("")


def _ideal_point_chart(points: pd.DataFrame, order: list[str], title: str, partial: pd.DataFrame,
                       path: Path) -> None:  # fmt: skip
    """Each state's ideal point by year with its 90% interval as a band; the legend outside."""
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=110)
    for code in order:
        group = points[points["country_code"] == code].sort_values("year")
        if group.empty:
            continue
        name = group["country_name"].iloc[0]
        [line] = ax.plot(group["year"], group["ideal_point"], marker="o", linewidth=2,
                         label=f"{name} ({code})")  # fmt: skip
        ax.fill_between(group["year"], group["lower_90"], group["upper_90"],
                        color=line.get_color(), alpha=0.15, linewidth=0)  # fmt: skip
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel("ideal point (United States positive)")
    ax.set_title(title, fontsize=11)
    ax.grid(alpha=0.3)
    ax.set_xticks(year_ticks(points["year"].astype(int).tolist()))
    for row in partial.itertuples():
        ax.axvspan(row.year - 0.5, row.year + 0.5, color="grey", alpha=0.15, linewidth=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _ideal_point_section(add, points: pd.DataFrame, window: pd.DataFrame, focal_code: str,
                         focal_name: str, period: str, partial: pd.DataFrame,
                         chart: Path) -> None:  # fmt: skip
    add("## On the ideal-point scale")
    add("")
    add(
        "Each state's position on one scale, estimated from all its recorded votes (a dynamic "
        "ordered probit after Bailey, Strezhnev and Voeten 2017; marts.fct_ideal_points, "
        "docs/IDEAL_POINTS.md): the United States at the positive end, mean 0 and standard "
        "deviation 1 over all state-years; bands are 90% intervals. Unlike the shares above, "
        "positions do not move when the agenda does."
    )
    add("")
    order = [focal_code, *window.sort_values("reference_position")["reference_country"]]
    title = f"{focal_name} and each reference on the ideal-point scale, {period}"
    _ideal_point_chart(points, order, title, partial, chart)
    add(f"![Ideal points by year]({chart.name})")
    add("")
    closest = window.sort_values("ideal_point_distance", na_position="last")
    add(
        f"Mean over {period} ({focal_name} {closest['focal_ideal_point'].iloc[0]:+.2f}); "
        "references from the closest to the farthest:"
    )
    add("")
    add(
        markdown_table(
            closest[
                ["reference_country_name", "reference_ideal_point", "ideal_point_distance"]
            ].rename(
                columns={
                    "reference_country_name": "reference",
                    "reference_ideal_point": "ideal point",
                    "ideal_point_distance": f"distance to {focal_code}",
                }
            ),
            digits=2,
        )
    )
    add("")


def partial_lines(partial: pd.DataFrame) -> list[str]:
    """A warning for each year of the window that the data cover only in part (dim_years)."""
    return [
        f"**{r.year} is a partial year**: the data end on {r.last_vote_date:%Y-%m-%d} "
        f"({r.n_roll_calls:,} roll calls in {r.year}); its figures cover those roll calls only.\n"
        for r in partial.itertuples()
    ]


def _read(
    con: duckdb.DuckDBPyConnection, sql: str, selection: Selection, window: bool = True
) -> pd.DataFrame:
    params: dict[str, Any] = {"focal": selection.focal, "refs": list(selection.references)}
    if window:
        params |= {"start_year": selection.start_year, "end_year": selection.end_year}
    try:
        return con.execute(sql, params).df()
    except duckdb.InvalidInputException as err:
        raise UserError(str(err).removeprefix("Invalid Input Error: ")) from None


def sources_lines(manifest: dict[str, Any]) -> list[str]:
    lines = []
    for source in manifest.get("sources", []):
        name = SOURCE_NAMES.get(source["source_kind"], source["source_kind"])
        loaded = (source.get("loaded_at") or "")[:10]
        # the file's name as published and where it was found, where the load recorded them
        file_name = source.get("release_file") or source["file_name"]
        origin = source.get("record") or source.get("url")
        found = f" from {origin}" if origin else ""
        lines.append(
            f"- {name}: `{file_name}`{found}, sha256 `{source['sha256']}`, "
            f"{source['rows_loaded']:,} rows, loaded {loaded}."
        )
    return lines


def write_report(
    serving_path: Path,
    out_dir: Path | None,
    chart_measures: Sequence[str],
    *,
    focal: str | None = None,
    references: Sequence[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> Path:
    """Write the Markdown report and its charts into a folder; return the report's path.

    The selection is made of focal / references / years, completed from the last build's; the
    folder is `out_dir`, or <$UNGA_REPORTS or reports>/<selection>/.
    """
    con = serving.connect(serving_path, REQUIRED)
    try:
        labels = dict(
            con.execute(
                "select measure_code, measure_name from marts.dim_measures "
                "order by measure_position"
            ).fetchall()
        )
        unknown = [m for m in chart_measures if m not in labels]
        if unknown:
            raise UserError(
                f"unknown measure {', '.join(unknown)}; choose from {', '.join(labels)}"
            )
        selection = build_selection(con, focal, references, start_year, end_year)
        if not selection.references:
            raise UserError("give at least one reference country")
        focal_all = _read(
            con,
            "select * from marts.focal_cohesion($focal, $refs, $start_year, $end_year)",
            selection,
        )
        summary = _read(
            con,
            "select * from marts.split_vote_summary($focal, $refs, $start_year, $end_year) "
            "where period_type = 'window'",
            selection,
        )
        resolution_votes = _read(
            con,
            "select * from marts.conflict_resolution_votes($focal, $refs)",
            selection,
            window=False,
        )
        points = con.execute(
            """
            select ideal_points.*, countries.country_name
            from marts.fct_ideal_points as ideal_points
            inner join marts.dim_countries as countries
                on ideal_points.country_code = countries.country_code
            where
                (
                    ideal_points.country_code = $focal
                    or list_contains($refs, ideal_points.country_code)
                )
                and ideal_points.year between $start_year and $end_year
            order by ideal_points.country_code, ideal_points.year
            """,
            {
                "focal": selection.focal,
                "refs": list(selection.references),
                "start_year": selection.start_year,
                "end_year": selection.end_year,
            },
        ).df()
        partial = serving.partial_years(con, selection.start_year, selection.end_year)
    finally:
        con.close()
    manifest = serving.manifest(serving_path)
    if focal_all.empty:
        raise UserError(
            f"no roll calls in {selection.start_year}-{selection.end_year}: choose other years"
        )
    out_dir = out_dir or Path(os.environ.get(REPORTS_ENV) or "reports") / selection.folder_name
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / REPORT_NAME

    focal = focal_all[focal_all["topic_code"] == "all"]
    by_topic = focal_all[
        (focal_all["topic_code"] != "all") & (focal_all["period_type"] == "window")
    ]
    window = focal[focal["period_type"] == "window"].sort_values("rank_identical_share")
    yearly = focal[focal["period_type"] == "year"].sort_values(["reference_position", "year"])
    first = window.iloc[0]
    focal_code, focal_name = first["focal_country"], first["focal_country_name"]
    period = first["period"]

    lines: list[str] = []
    add = lines.append
    add(f"# Voting cohesion of {focal_name} ({focal_code}) in the UN General Assembly, {period}")
    add("")
    add(
        "Reference countries: "
        + ", ".join(
            f"{r.reference_country_name} ({r.reference_country})"
            for r in window.sort_values("reference_position").itertuples()
        )
        + "."
    )
    add("")
    add("Sources, as published with the serving copy:")
    add("")
    lines.extend(sources_lines(manifest))
    add("")
    add(
        f"Report written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the serving copy published "
        f"{manifest.get('published_at', '?')[:16].replace('T', ' ')} UTC."
    )
    add("")
    add("## Roll calls")
    add("")
    add(
        f"The General Assembly held **{int(first['n_roll_calls_in_period']):,} recorded votes** "
        f"in {period}. {focal_name} and each reference were members on:"
    )
    add("")
    lines.extend(partial_lines(partial))
    add(
        markdown_table(
            window.sort_values("reference_position")[
                [
                    "reference_country_name",
                    "n_roll_calls",
                    "n_both_yes",
                    "n_both_no",
                    "n_both_abstain",
                    "n_opposite",
                    "n_a_abstains",
                    "n_b_abstains",
                    "n_a_absent",
                    "n_b_absent",
                ]
            ].rename(
                columns={
                    "reference_country_name": "reference",
                    "n_roll_calls": "roll calls, both members",
                    "n_both_yes": "both yes",
                    "n_both_no": "both no",
                    "n_both_abstain": "both abstain",
                    "n_opposite": "opposite",
                    "n_a_abstains": f"{focal_code} abstains",
                    "n_b_abstains": "reference abstains",
                    "n_a_absent": f"{focal_code} absent",
                    "n_b_absent": "reference absent",
                }
            )
        )
    )
    add("")
    add(f"## Ranking over {period}")
    add("")
    add(
        "Measures pooled over the window (counts summed over the years, then the measure). "
        "Definitions and citations: docs/MEASURES.md."
    )
    add("")
    add(
        f"Participation: {focal_name} voted (yes, no or abstain) on "
        f"{_fmt(first['focal_participation'], percent=True)} of the roll calls held while it was "
        "a member; each reference's share is beside its figures. A state that stays away "
        "scores no disagreement with anybody."
    )
    add("")
    ranking = window[
        ["reference_country_name", *labels, "rank_identical_share", "rank_agreement_index",
         "reference_participation"]
    ].assign(reference_participation=lambda f: f["reference_participation"].map(
        lambda v: _fmt(v, percent=True)))  # fmt: skip
    add(
        markdown_table(
            ranking.rename(
                columns={
                    "reference_country_name": "reference",
                    **labels,
                    "rank_identical_share": f"rank by {labels['identical_share']}",
                    "rank_agreement_index": f"rank by {labels['agreement_index']}",
                    "reference_participation": "reference voted on",
                }
            )
        )
    )
    add("")
    for measure in ("identical_share", "agreement_index"):
        add(f"- {labels[measure]}: {ranking_sentence(window, measure)}.")
    add("")
    add("## Cohesion by year")
    add("")
    for measure in chart_measures:
        chart = out_dir / f"{measure}.png"
        title = (
            f"{focal_name} and each reference: {labels[measure]}, {period} "
            f"({int(first['n_roll_calls_in_period']):,} roll calls)"
        )
        line_chart(yearly, measure, labels[measure], title, partial, chart)
        add(f"![{labels[measure]} by year]({chart.name})")
        add("")
    pivot = yearly.pivot_table(
        index="year", columns="reference_country", values="identical_share", sort=False
    )
    pivot = pivot[[c for c in window.sort_values("reference_position")["reference_country"]]]
    pivot.insert(
        0,
        "year",
        [
            f"{y} (partial)" if y in set(partial["year"]) else str(y)
            for y in pivot.index.astype(int)
        ],
    )
    add("Share of identical votes by year:")
    add("")
    add(markdown_table(pivot.reset_index(drop=True)))
    add("")

    if not by_topic.empty:
        _topic_section(add, by_topic, window, focal_name, out_dir / "topics.png")

    if not points.empty:
        _ideal_point_section(add, points, window, focal_code, focal_name, period, partial,
                             out_dir / "ideal_points.png")  # fmt: skip

    add("## When the references split")
    add("")
    position = dict(zip(window["reference_country"], window["reference_position"], strict=True))
    summary = summary.assign(
        first_position=summary["first_country"].map(position),
        second_position=summary["second_country"].map(position),
    ).sort_values(["first_position", "second_position"])
    full = summary[summary["split_type"] == "full"]
    partial = summary[summary["split_type"] == "partial"]
    if not full.empty:
        chart = out_dir / "splits.png"
        _split_chart(
            full,
            focal_code,
            f"How {focal_name} voted when two references split, {period} "
            f"({int(full['n_splits'].sum()):,} full splits)",
            chart,
        )
        add(f"Full splits: one reference voted yes, the other no. How {focal_name} voted:")
        add("")
        add(f"![How {focal_code} voted when the references split]({chart.name})")
        add("")
        add(
            markdown_table(
                full[
                    [
                        "first_country",
                        "second_country",
                        "n_splits",
                        "n_with_first",
                        "n_with_second",
                        "n_abstained",
                        "n_absent",
                    ]
                ]
            )
        )
        add("")
    if not partial.empty:
        add(
            "Partial splits: one reference abstained, the other voted yes or no "
            "(abstaining counts as siding with the abstainer):"
        )
        add("")
        add(
            markdown_table(
                partial[
                    [
                        "first_country",
                        "second_country",
                        "n_splits",
                        "n_with_first",
                        "n_with_second",
                        "n_with_neither",
                        "n_absent",
                    ]
                ]
            )
        )
        add("")
    if full.empty and partial.empty:
        add("The references never split on the roll calls of the window.")
        add("")

    add("## Armed conflicts and territorial integrity")
    add("")
    add(
        f"{focal_name}'s vote beside each reference's on the resolutions listed in "
        "seeds/conflict_resolutions.csv (Y yes, N no, A abstain, X non-voting, - not listed):"
    )
    add("")
    found = resolution_votes[resolution_votes["is_in_data"]]
    if not found.empty:
        wide = found.pivot_table(
            index=["conflict", "vote_date", "resolution_symbol", "note"],
            columns="country_code",
            values="vote",
            aggfunc="first",
            sort=False,
        )
        order = found.sort_values("country_position")["country_code"].drop_duplicates().tolist()
        wide = wide.reindex(columns=order).reset_index().sort_values(["conflict", "vote_date"])
        wide["vote_date"] = wide["vote_date"].astype(str)
        add(markdown_table(wide.fillna("-")))
        add("")
    missing = sorted(
        resolution_votes.loc[~resolution_votes["is_in_data"], "resolution_symbol"].unique()
    )
    if missing:
        add("Listed but not in the loaded data: " + ", ".join(missing) + ".")
        add("")
    out_path.write_text("\n".join(lines), encoding="utf-8")
    return out_path


def main_report(
    serving_path: Path,
    out_dir: Path | None,
    measures: Sequence[str],
    *,
    focal: str | None,
    references: Sequence[str] | None,
    start_year: int | None,
    end_year: int | None,
) -> None:
    path = write_report(
        serving_path,
        out_dir,
        measures,
        focal=focal,
        references=references,
        start_year=start_year,
        end_year=end_year,
    )
    print(f"report written: {path}", file=sys.stderr)
