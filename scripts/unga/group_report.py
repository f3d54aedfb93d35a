"""The group report: how cohesive groups of states voted, which members broke away, and a
country against the groups' majorities, as Markdown with PNG charts.

Every number comes from the group marts and analyses of the published serving copy through
unga.groups (fct_group_cohesion, marts.group_members_agreement, marts.country_group_agreement),
the labels from dim_groups and dim_measures, the sources from the publication's manifest. The
report computes nothing but formatting.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from unga import groups, serving
from unga.errors import UserError

# the cohesion report's formatting: its line chart (one series per reference, here per group),
# its Markdown tables, its list of sources and its partial-year warnings
from unga.report import (
    REPORT_NAME,
    REPORTS_ENV,
    line_chart,
    markdown_table,
    partial_lines,
    sources_lines,
)

BREAKAWAY_SHOWN = 5
GROUP_COLUMNS = {
    "group_code": "group",
    "group_name": "name",
    "n_current_members": "members now",
    "first_member_from": "counted from",
    "n_approximate_periods": "periods with approximate dates",
}
BREAKAWAY_COLUMNS = {
    "group_code": "group",
    "breakaway_rank_identical_share": "rank",
    "country_name": "member",
    "identical_share": "with the rest",
    "n_roll_calls": "roll calls",
    "n_plurality_ties": "others tied",
    "member_participation": "participation",
}
AGAINST_COLUMNS = {
    "rank_identical_share": "rank",
    "group_code": "group",
    "group_name": "name",
    "identical_share": "identical share",
    "agreement_index": "agreement index",
    "cohen_kappa_weighted": "kappa (weighted)",
    "n_roll_calls": "roll calls",
    "n_plurality_ties": "group tied",
    "n_group_member_roll_calls": "as a member",
    "focal_participation": "participation",
}


def _shown(frame: pd.DataFrame, columns: dict[str, str]) -> str:
    """The Markdown table of `frame`'s `columns`, under the names given."""
    return markdown_table(frame[list(columns)].rename(columns=columns))


def folder_name(selection: groups.GroupSelection) -> str:
    """reports/<folder_name>/: one folder per selection."""
    codes = "-".join(selection.groups)
    return f"groups_{codes}_{selection.start_year}-{selection.end_year}_{selection.focal}"


def _as_series(frame: pd.DataFrame) -> pd.DataFrame:
    """One series per group, in the columns the report's line chart draws."""
    return frame.rename(
        columns={"group_code": "reference_country", "group_name": "reference_country_name"}
    )


def write_group_report(
    serving_path: Path,
    out_dir: Path | None,
    selection: groups.GroupSelection,
) -> Path:
    """Write report.md and its charts for the groups, years and country of `selection` into
    `out_dir`, or <$UNGA_REPORTS or reports>/groups_<codes>_<years>_<country>/; its path."""
    groups.require_groups(selection.groups)
    con = serving.connect(serving_path, (*groups.REQUIRED, "dim_measures"))
    try:
        listed = groups.groups(con).set_index("group_code")
        cohesion = groups.cohesion_by_year(con, selection)
        breakaway = groups.members_breaking_away(con, selection)
        against = groups.focal_against_groups(con, selection)
        partial = groups.partial_years(con, selection)
        label = con.execute(
            "select measure_name from marts.dim_measures where measure_code = 'identical_share'"
        ).fetchone()[0]
    finally:
        con.close()
    if against.empty and cohesion.empty:
        raise UserError(
            f"no roll calls in {selection.start_year}-{selection.end_year}: choose other years"
        )
    manifest = serving.manifest(serving_path)
    out_dir = out_dir or Path(os.environ.get(REPORTS_ENV) or "reports") / folder_name(selection)
    out_dir.mkdir(parents=True, exist_ok=True)
    period = f"{selection.start_year}-{selection.end_year}"
    chosen = list(dict.fromkeys(selection.groups))
    country = against.focal_country_name.iloc[0] if not against.empty else selection.focal

    lines: list[str] = []
    add = lines.append
    add(f"# Groups of states in the UN General Assembly, {period}: {', '.join(chosen)}")
    add("")
    add("Sources, as published with the serving copy:")
    add("")
    lines.extend(sources_lines(manifest))
    add("")
    add(
        f"Report written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the serving copy published "
        f"{manifest.get('published_at', '?')[:16].replace('T', ' ')} UTC. Membership counts on "
        "the date of each vote (seeds/group_memberships.csv; docs/GROUPS.md says how precise "
        "the dates are)."
    )
    add("")
    lines.extend(partial_lines(partial))
    add("## The groups")
    add("")
    shown_groups = listed.loc[chosen].reset_index()
    shown_groups["first_member_from"] = shown_groups.first_member_from.dt.strftime("%Y-%m-%d")
    add(_shown(shown_groups, GROUP_COLUMNS))
    add("")

    add("## Cohesion by year")
    add("")
    if cohesion.empty:
        add("None of these groups had members in these years.")
        add("")
    else:
        chart = out_dir / "group_cohesion.png"
        line_chart(
            _as_series(cohesion),
            "hix_agreement_index",
            "agreement index (Hix, Noury and Roland)",
            "How cohesively each group voted",
            partial,
            chart,
        )
        add(f"![Agreement index of each group by year]({chart.name})")
        add("")
        add(
            "Agreement index: 1 when all members who voted voted alike, 0 when they split "
            "evenly between yes, no and abstain, averaged over the year's roll calls; absent "
            "members do not lower it, so the members' participation stands beside it."
        )
        add("")
        wide = cohesion.pivot_table(
            index="year", columns="group_code", values=["hix_agreement_index", "participation_rate"]
        )
        wide.columns = [
            f"{code} {'index' if value == 'hix_agreement_index' else 'participation'}"
            for value, code in wide.columns
        ]
        ordered = [f"{code} {kind}" for code in chosen for kind in ("index", "participation")]
        wide = wide[[column for column in ordered if column in wide.columns]]
        wide.insert(0, "year", wide.index.astype(int))
        add(markdown_table(wide.reset_index(drop=True)))
        add("")

    add(f"## Members that broke away most, {period}")
    add("")
    if breakaway.empty:
        add("No member of these groups voted in these years.")
        add("")
    else:
        add(
            "Each member against the plurality of the group's other members, on the roll calls "
            "on which it was a member (roll calls on which the others tied left out): the "
            f"{BREAKAWAY_SHOWN} that voted least often with them."
        )
        add("")
        shown = breakaway[breakaway.breakaway_rank_identical_share <= BREAKAWAY_SHOWN]
        add(_shown(shown, BREAKAWAY_COLUMNS))
        add("")

    add(f"## {country} against the groups' majorities")
    add("")
    if against.empty:
        add(f"{country} did not vote in these years.")
        add("")
    else:
        yearly = against[against.period_type == "year"]
        chart = out_dir / "country_against_groups.png"
        line_chart(
            _as_series(yearly),
            "identical_share",
            label.lower(),
            f"{country}: votes as each group's plurality",
            partial,
            chart,
        )
        add(f"![{country} against each group's plurality by year]({chart.name})")
        add("")
        window = against[against.period_type == "window"].sort_values("rank_identical_share")
        add(
            f"Over {period}, how often {country} voted as the plurality of each group's other "
            "members did (its own vote left out where it is a member):"
        )
        add("")
        add(_shown(window, AGAINST_COLUMNS))
        add("")
    out_path = out_dir / REPORT_NAME
    out_path.write_text("\n".join(lines), encoding="utf-8")
    return out_path


def main_group_report(
    serving_path: Path,
    out_dir: Path | None,
    group_codes: Sequence[str],
    focal: str,
    start_year: int,
    end_year: int,
) -> None:
    selection = groups.GroupSelection(
        tuple(code.strip().upper() for code in group_codes if code.strip()),
        start_year,
        end_year,
        focal.strip().upper(),
    )
    path = write_group_report(serving_path, out_dir, selection)
    print(f"report written: {path}", file=sys.stderr)
