"""The reproduction report: the focal country's voting cohesion with the reference countries.

Writes a Markdown report with PNG charts from the cohesion marts (fct_focal_cohesion,
fct_split_vote_summary, fct_split_votes, fct_focal_resolution_votes). Every number in it is read
from the marts; the report computes nothing but formatting. The focal country, the references
and the window are those of the last build (dbt vars focal_country, reference_countries,
start_year, end_year).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import duckdb
import pandas as pd

from unga.errors import UserError

MEASURES: dict[str, str] = {
    "identical_share": "Share of identical votes",
    "agreement_index": "Agreement index (Lijphart)",
    "coincidence_yes_no": "Coincidence, yes/no votes only",
    "state_dept_coincidence": "State Department coincidence",
    "cohen_kappa": "Cohen's kappa",
    "scott_pi": "Scott's pi",
    "s_score": "S score (Signorino and Ritter)",
}
DEFAULT_CHART_MEASURES = ("identical_share", "agreement_index", "cohen_kappa", "s_score")
REQUIRED_MARTS = (
    "fct_focal_cohesion",
    "fct_split_vote_summary",
    "fct_split_votes",
    "fct_focal_resolution_votes",
)
VOTE_WORDS = {"Y": "yes", "N": "no", "A": "abstain", "X": "non-voting"}


def _open(db_path: Path) -> duckdb.DuckDBPyConnection:
    if not db_path.exists():
        raise UserError(f"the warehouse {db_path} does not exist yet: run `make build` first")
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as err:
        raise UserError(f"cannot open the warehouse {db_path}: {err}") from None
    present = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    missing = [m for m in REQUIRED_MARTS if m not in present]
    if missing:
        con.close()
        raise UserError(
            f"the warehouse {db_path} has no {', '.join(missing)}: run `make build` first"
        )
    return con


def _fmt(value: object, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(frame: pd.DataFrame, digits: int = 3) -> str:
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


def _line_chart(yearly: pd.DataFrame, measure: str, title: str, path: Path) -> None:
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    for (code, name), group in yearly.groupby(
        ["reference_country", "reference_country_name"], sort=False
    ):
        group = group.sort_values("year")
        ax.plot(group["year"], group[measure], marker="o", linewidth=2, label=f"{name} ({code})")
    ax.set_xlabel("year")
    ax.set_ylabel(MEASURES[measure])
    ax.set_title(title)
    ax.grid(alpha=0.3)
    years = sorted(yearly["year"].unique())
    ax.set_xticks(years[:: max(1, len(years) // 16)])
    ax.legend(loc="best", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _split_chart(summary: pd.DataFrame, focal: str, path: Path) -> None:
    plt = _pyplot()

    labels = [f"{r.first_country} vs {r.second_country}" for r in summary.itertuples()]
    parts = [
        ("n_with_first", "with the first named"),
        ("n_with_second", "with the second named"),
        ("n_abstained", "abstained"),
        ("n_absent", "absent"),
    ]
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(labels) + 1.8), dpi=110)
    left = [0.0] * len(labels)
    for column, label in parts:
        shares = (summary[column] / summary["n_splits"]).tolist()
        ax.barh(labels, shares, left=left, label=label)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of full splits (one yes, the other no): how {focal} voted")
    ax.invert_yaxis()
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=9, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _topic_chart(table: pd.DataFrame, names: list[str], title: str, path: Path) -> None:
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(9, 0.45 * len(table) + 1.6), dpi=110)
    height = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        positions = [y + i * height for y in range(len(table))]
        ax.barh(positions, table[name], height=height, label=name)
    ax.set_yticks([y + 0.4 - height / 2 for y in range(len(table))])
    ax.set_yticklabels(table.index)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of identical votes")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.06), ncol=4, fontsize=9, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


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
            f"{period}): by share of identical votes "
            + " > ".join(
                f"{r.reference_country_name} ({r.identical_share:.3f})" for r in fp.itertuples()
            )
            + "; by agreement index "
            + " > ".join(
                f"{r.reference_country_name} ({r.agreement_index:.3f})"
                for r in fp.sort_values("rank_agreement_index").itertuples()
            )
            + "."
        )
        add("")
    wide = by_topic.pivot_table(
        index=["topic_name", "n_roll_calls_in_period"], columns="reference_country_name",
        values="identical_share", sort=False,
    ).reindex(columns=refs)  # fmt: skip
    wide = wide.reset_index().sort_values("n_roll_calls_in_period", ascending=False)
    _topic_chart(
        wide.set_index("topic_name")[refs],
        refs,
        f"{focal_name}: share of identical votes by topic, {period}",
        chart,
    )
    add(f"![Share of identical votes by topic]({chart.name})")
    add("")
    add(f"Share of identical votes by topic, {period}:")
    add("")
    add(
        _table(wide.rename(columns={"topic_name": "topic", "n_roll_calls_in_period": "roll calls"}))
    )
    add("")


def write_report(db_path: Path, out_path: Path, chart_measures: Sequence[str]) -> Path:
    """Write the Markdown report and its charts next to it; return the report's path."""
    unknown = [m for m in chart_measures if m not in MEASURES]
    if unknown:
        raise UserError(f"unknown measure {', '.join(unknown)}; choose from {', '.join(MEASURES)}")
    con = _open(db_path)
    try:
        focal_all = con.execute("select * from marts.fct_focal_cohesion").df()
        summary = con.execute("select * from marts.fct_split_vote_summary").df()
        resolution_votes = con.execute("select * from marts.fct_focal_resolution_votes").df()
        source = con.execute(
            "select file_name, sha256, finished_at from raw.load_log "
            "where status = 'loaded' order by load_id desc limit 1"
        ).fetchone()
    finally:
        con.close()
    if focal_all.empty:
        raise UserError("marts.fct_focal_cohesion is empty: check the dbt vars of the last build")
    focal = focal_all[focal_all["topic_code"] == "all"]
    by_topic = focal_all[
        (focal_all["topic_code"] != "all") & (focal_all["period_type"] == "window")
    ]

    out_path.parent.mkdir(parents=True, exist_ok=True)
    window = focal[focal["period_type"] == "window"].sort_values("rank_identical_share")
    yearly = focal[focal["period_type"] == "year"].sort_values(["reference_position", "year"])
    first = window.iloc[0]
    focal_code, focal_name = first["focal_country"], first["focal_country_name"]
    period = first["period"]
    stem = out_path.stem

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
    if source:
        add(
            f"Source: UN Digital Library, General Assembly Voting Data, file `{source[0]}` "
            f"(sha256 `{source[1][:12]}…`, loaded {source[2]:%Y-%m-%d})."
        )
    add(f"Report written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the warehouse marts.")
    add("")
    add("## Roll calls")
    add("")
    add(
        f"The General Assembly held **{int(first['n_roll_calls_in_period']):,} recorded votes** "
        f"in {period}. {focal_name} and each reference were members on:"
    )
    add("")
    add(
        _table(
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
    ranking = window[
        ["reference_country_name", *MEASURES.keys(), "rank_identical_share", "rank_agreement_index"]
    ]
    add(_table(ranking.rename(columns={"reference_country_name": "reference"})))
    add("")
    for measure in ("identical_share", "agreement_index"):
        ordered = window.sort_values(f"rank_{measure}")
        add(
            f"- By {MEASURES[measure].lower()}: "
            + " > ".join(
                f"{r.reference_country_name} ({getattr(r, measure):.3f})"
                for r in ordered.itertuples()
            )
            + "."
        )
    add("")
    add("## Cohesion by year")
    add("")
    for measure in chart_measures:
        chart = out_path.with_name(f"{stem}_{measure}.png")
        _line_chart(
            yearly, measure, f"{focal_name}: {MEASURES[measure].lower()} with each reference", chart
        )
        add(f"![{MEASURES[measure]} by year]({chart.name})")
        add("")
    pivot = yearly.pivot_table(
        index="year", columns="reference_country", values="identical_share", sort=False
    )
    pivot = pivot[[c for c in window.sort_values("reference_position")["reference_country"]]]
    pivot.insert(0, "year", pivot.index.astype(int))
    add("Share of identical votes by year:")
    add("")
    add(_table(pivot.reset_index(drop=True)))
    add("")

    if not by_topic.empty:
        _topic_section(add, by_topic, window, focal_name, out_path.with_name(f"{stem}_topics.png"))

    add("## When the references split")
    add("")
    position = dict(zip(window["reference_country"], window["reference_position"], strict=True))
    summary = summary.assign(
        first_position=summary["first_country"].map(position),
        second_position=summary["second_country"].map(position),
    ).sort_values(["first_position", "second_position"])
    full = summary[(summary["period_type"] == "window") & (summary["split_type"] == "full")]
    partial = summary[(summary["period_type"] == "window") & (summary["split_type"] == "partial")]
    if not full.empty:
        chart = out_path.with_name(f"{stem}_splits.png")
        _split_chart(full, focal_code, chart)
        add(f"Full splits: one reference voted yes, the other no. How {focal_name} voted:")
        add("")
        add(f"![How {focal_code} voted when the references split]({chart.name})")
        add("")
        add(
            _table(
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
            _table(
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
        add(_table(wide.fillna("-")))
        add("")
    missing = sorted(
        resolution_votes.loc[~resolution_votes["is_in_data"], "resolution_symbol"].unique()
    )
    if missing:
        add("Listed but not in the loaded data: " + ", ".join(missing) + ".")
        add("")
    out_path.write_text("\n".join(lines), encoding="utf-8")
    return out_path


def main_report(db_path: Path, out_path: Path, measures: Sequence[str]) -> None:
    path = write_report(db_path, out_path, measures)
    print(f"report written: {path}", file=sys.stderr)
