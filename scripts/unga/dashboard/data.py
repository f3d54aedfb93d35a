"""What the dashboard shows, computed from the marts of the serving copy for any selection.

Cohesion pools the yearly counts of marts.fct_dyad_year_agreement over the chosen years and
computes the measures from the sums with unga.measures (the formulas of the dbt macros). With a
topic chosen (when the serving copy has the topic mart dim_roll_call_topics), the counts come
from marts.fct_dyad_year_topic_agreement, or where that mart is missing are made from
marts.fct_votes on the topic's roll calls. Split votes follow the rules of
marts.fct_split_votes, for the chosen references in the order given, on the roll calls of the
selection. Nothing here writes: the serving copy is attached read-only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from unga.errors import UserError
from unga.measures import COUNT_COLUMNS, MEASURES, DyadCounts, measures, pooled_measures
from unga.publish import SERVING_NAME, serving_path_for

SERVING_ENV = "UNGA_SERVING"
DEFAULT_SERVING = Path("warehouse") / SERVING_NAME
REQUIRED_MARTS = ("dim_countries", "dim_roll_calls", "fct_votes", "fct_dyad_year_agreement")
TOPIC_MART = "dim_roll_call_topics"
TOPIC_DYAD_MART = "fct_dyad_year_topic_agreement"
# The first of these columns of the topic mart identifies the topic, the first of the second
# list names it (else the identifier does).
TOPIC_CODE_COLUMNS = ("topic_code", "topic", "issue")
TOPIC_NAME_COLUMNS = ("topic_name", "topic_label")

VOTE_LABELS = {"Y": "yes", "N": "no", "A": "abstain", "X": "non-voting"}

# How the focal country (a) and a reference (b) voted on one roll call, as counted in the marts.
DYAD_CATEGORIES: dict[str, str] = {
    "identical": "identical votes",
    "opposite": "opposite votes (yes/no)",
    "one_abstains": "one abstained, the other voted",
    "focal_absent": "focal country non-voting",
    "reference_absent": "reference non-voting",
    "both_absent": "both non-voting",
}
# How the focal country voted when two references split (marts.fct_split_votes).
ALIGNMENTS: dict[str, str] = {
    "with_first": "with the first",
    "with_second": "with the second",
    "abstained": "abstained",
    "with_neither": "with neither",
    "absent": "absent",
}


def serving_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The serving copy: $UNGA_SERVING, else serving.duckdb beside $UNGA_DB, else the default."""
    if environ.get(SERVING_ENV):
        return Path(environ[SERVING_ENV])
    if environ.get("UNGA_DB"):
        return serving_path_for(Path(environ["UNGA_DB"]))
    return DEFAULT_SERVING


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the serving copy read-only.

    It is attached to a private in-memory database rather than opened directly: DuckDB hands a
    second connection to an open file the database it already has open, which would keep
    showing the copy of before a publish.
    """
    if not path.is_file():
        raise UserError(
            f"there is no serving copy at {path}: run `make build` (it publishes one) "
            f"or set {SERVING_ENV}"
        )
    con = duckdb.connect(":memory:")
    try:
        escaped = str(path.resolve()).replace("'", "''")
        con.execute(f"attach '{escaped}' as serving (read_only)")
        con.execute("use serving")
        present = set(tables(con))
    except duckdb.Error as err:
        con.close()
        raise UserError(f"cannot read the serving copy {path}: {err}") from None
    missing = [name for name in REQUIRED_MARTS if name not in present]
    if missing:
        con.close()
        raise UserError(
            f"the serving copy {path} lacks {', '.join(missing)}: run `make build` to publish "
            "a complete one"
        )
    return con


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema = 'marts' order by 1"
    ).fetchall()
    return [name for (name,) in rows]


def _execute(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]
) -> duckdb.DuckDBPyConnection:
    """Run `sql` with the named parameters it uses (DuckDB refuses unused ones)."""
    used = set(re.findall(r"\$(\w+)", sql))
    return con.execute(sql, {k: v for k, v in params.items() if k in used})


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
    return _execute(con, sql, params).df()


@dataclass(frozen=True)
class Selection:
    """What the reader picked: focal country, references (in order), years, topic."""

    focal: str
    references: tuple[str, ...]
    start_year: int
    end_year: int
    topic: str | None = None

    @property
    def reference_list(self) -> list[str]:
        """The references without duplicates and without the focal country."""
        return [c for c in dict.fromkeys(self.references) if c != self.focal]

    def params(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "refs": self.reference_list,
            "start_year": self.start_year,
            "end_year": self.end_year,
        }


@dataclass(frozen=True)
class Choices:
    """What can be picked, and what is picked first."""

    countries: pd.DataFrame  # country_code, country_name, label
    first_year: int
    last_year: int
    topics: dict[str, str] = field(default_factory=dict)  # code -> name, by name
    default: Selection | None = None


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_catalog = "
            "current_database() and table_schema = 'marts' and table_name = ?",
            [table],
        ).fetchall()
    ]


def topic_columns(con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    """The columns of the topic mart that identify and name a topic, when the serving copy has
    a topic mart."""
    columns = _columns(con, TOPIC_MART)
    code = next((c for c in TOPIC_CODE_COLUMNS if c in columns), None)
    if "roll_call_id" not in columns or code is None:
        return None
    return code, next((c for c in TOPIC_NAME_COLUMNS if c in columns), code)


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
    columns = topic_columns(con)
    topics: dict[str, str] = {}
    if columns:
        code, name = columns
        rows = con.execute(
            f'select "{code}", min("{name}") from marts.{TOPIC_MART} '
            f'where "{code}" is not null group by 1 order by 2, 1'
        ).fetchall()
        topics = {str(c): str(n) for c, n in rows}
    return Choices(
        countries=countries,
        first_year=int(first_year),
        last_year=int(last_year),
        topics=topics,
        default=_default_selection(con, countries, int(first_year), int(last_year)),
    )


def _default_selection(
    con: duckdb.DuckDBPyConnection, countries: pd.DataFrame, first_year: int, last_year: int
) -> Selection:
    """The focal view of the last build (fct_focal_cohesion), else the first country."""
    known = set(countries["country_code"])
    if "fct_focal_cohesion" in tables(con):
        by_topic = "topic_code" in _columns(con, "fct_focal_cohesion")
        rows = con.execute(
            f"""
            select focal_country, reference_country, start_year, end_year
            from marts.fct_focal_cohesion
            where period_type = 'window' {"and topic_code = 'all'" if by_topic else ""}
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


def _roll_calls_sql(selection: Selection, con: duckdb.DuckDBPyConnection) -> str:
    """The roll calls of the selection (years and topic), as a subquery of dim_roll_calls."""
    sql = "select * from marts.dim_roll_calls where year between $start_year and $end_year"
    if selection.topic is not None:
        columns = topic_columns(con)
        if columns is None:
            raise UserError(f"the serving copy has no topics ({TOPIC_MART}): pick no topic")
        sql += (
            f" and roll_call_id in (select roll_call_id from marts.{TOPIC_MART} "
            f'where "{columns[0]}" = $topic)'
        )
    return sql


def _params(selection: Selection) -> dict[str, Any]:
    params = selection.params()
    if selection.topic is not None:
        params["topic"] = selection.topic
    return params


def yearly_counts(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Counts of the focal country (a) with each reference (b) per year: year,
    reference_country and the count columns; one row per year in which both were members."""
    if not selection.reference_list:
        return pd.DataFrame(columns=["year", "reference_country", *COUNT_COLUMNS])
    if selection.topic is None or TOPIC_DYAD_MART in tables(con):
        mart, topic = "fct_dyad_year_agreement", ""
        if selection.topic is not None:
            mart, topic = TOPIC_DYAD_MART, "and topic_code = $topic"
        sql = f"""
            select year, country_b as reference_country, {", ".join(COUNT_COLUMNS)}
            from marts.{mart}
            where country_a = $focal and list_contains($refs, country_b)
              and year between $start_year and $end_year {topic}
            order by year, reference_country
        """
        return _df(con, sql, _params(selection))
    return yearly_counts_from_votes(con, selection)


def yearly_counts_from_votes(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """The counts of yearly_counts made from marts.fct_votes, on the roll calls of the selection
    (as macros/dyads.sql dyad_pair_counts counts them)."""
    sql = f"""
        with roll_calls as ({_roll_calls_sql(selection, con)}),
        member_votes as (
            select votes.roll_call_id, votes.country_code, votes.vote, votes.year
            from marts.fct_votes as votes
            where votes.is_member and votes.roll_call_id in (select roll_call_id from roll_calls)
        ),
        a as (select * from member_votes where country_code = $focal),
        b as (select * from member_votes where list_contains($refs, country_code))
        select
            a.year,
            b.country_code as reference_country,
            count(*) as n_roll_calls,
            count(*) filter (where a.vote = 'Y' and b.vote = 'Y') as n_both_yes,
            count(*) filter (where a.vote = 'N' and b.vote = 'N') as n_both_no,
            count(*) filter (where a.vote = 'A' and b.vote = 'A') as n_both_abstain,
            count(*) filter (where a.vote = 'Y' and b.vote = 'N') as n_a_yes_b_no,
            count(*) filter (where a.vote = 'N' and b.vote = 'Y') as n_a_no_b_yes,
            count(*) filter (where a.vote = 'Y' and b.vote = 'A') as n_a_yes_b_abstain,
            count(*) filter (where a.vote = 'N' and b.vote = 'A') as n_a_no_b_abstain,
            count(*) filter (where a.vote = 'A' and b.vote = 'Y') as n_a_abstain_b_yes,
            count(*) filter (where a.vote = 'A' and b.vote = 'N') as n_a_abstain_b_no,
            count(*) filter (where a.vote = 'X' and b.vote <> 'X') as n_a_absent,
            count(*) filter (where a.vote <> 'X' and b.vote = 'X') as n_b_absent,
            count(*) filter (where a.vote = 'X' and b.vote = 'X') as n_both_absent
        from a
        inner join b on a.roll_call_id = b.roll_call_id
        group by a.year, b.country_code
        order by a.year, reference_country
    """
    return _df(con, sql, _params(selection))


def _names(con: duckdb.DuckDBPyConnection, codes: Sequence[str]) -> dict[str, str]:
    rows = con.execute(
        "select country_code, country_name from marts.dim_countries "
        "where list_contains($codes, country_code)",
        {"codes": list(codes)},
    ).fetchall()
    return dict(rows)


def cohesion_by_year(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """Every measure per year and reference: one row per year of the selection that has roll
    calls and per reference, with the counts (0 and null measures when they did not both vote)."""
    refs = selection.reference_list
    columns = [
        "year",
        "reference_country",
        "reference_name",
        "reference_position",
        *COUNT_COLUMNS,
        *MEASURES,
    ]
    if not refs:
        return pd.DataFrame(columns=columns)
    years = [
        int(y)
        for (y,) in _execute(
            con,
            f"select distinct year from ({_roll_calls_sql(selection, con)}) order by 1",
            _params(selection),
        ).fetchall()
    ]
    counts = yearly_counts(con, selection)
    by_key = {(int(r.year), str(r.reference_country)): r for r in counts.itertuples(index=False)}
    names = _names(con, refs)
    rows: list[dict[str, Any]] = []
    for year in years:
        for position, ref in enumerate(refs, start=1):
            found = by_key.get((year, ref))
            dyad = DyadCounts.from_mapping(found._asdict() if found is not None else {})
            rows.append(
                {
                    "year": year,
                    "reference_country": ref,
                    "reference_name": names.get(ref, ref),
                    "reference_position": position,
                    **{c: getattr(dyad, c) for c in COUNT_COLUMNS},
                    **measures(dyad, year),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def ranking(by_year: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The references ranked by `measure` over all the years of `by_year`, from the summed
    counts; rank 1 is the most cohesive, ties share a rank, references without votes have none."""
    if measure not in MEASURES:
        raise UserError(f"unknown measure {measure!r}: pick one of {', '.join(MEASURES)}")
    rows: list[dict[str, Any]] = []
    for (position, ref, name), group in by_year.groupby(
        ["reference_position", "reference_country", "reference_name"], sort=True
    ):
        yearly = [(int(r["year"]), DyadCounts.from_mapping(r)) for _, r in group.iterrows()]
        total = sum((c for _, c in yearly), DyadCounts())
        pooled = pooled_measures(yearly)
        rows.append(
            {
                "reference_country": ref,
                "reference_name": name,
                "reference_position": position,
                measure: pooled[measure],
                "n_roll_calls": total.n_roll_calls,
                "n_voted": total.voted,
                "n_identical": total.identical,
                "n_opposite": total.opposite,
                "n_one_abstains": total.one_abstains,
                "n_focal_absent": total.n_a_absent,
                "n_reference_absent": total.n_b_absent,
                "n_both_absent": total.n_both_absent,
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    values = pd.to_numeric(table[measure], errors="coerce")
    table.insert(0, "rank", values.rank(method="min", ascending=False).astype("Int64"))
    return table.sort_values(["rank", "reference_position"], na_position="last").reset_index(
        drop=True
    )


def dyad_roll_calls(
    con: duckdb.DuckDBPyConnection, selection: Selection, reference: str, category: str
) -> pd.DataFrame:
    """The roll calls behind one count of the focal country with `reference`."""
    if category not in DYAD_CATEGORIES:
        raise UserError(f"unknown category {category!r}: pick one of {', '.join(DYAD_CATEGORIES)}")
    sql = f"""
        with roll_calls as ({_roll_calls_sql(selection, con)}),
        member_votes as (
            select roll_call_id, country_code, vote from marts.fct_votes
            where is_member and roll_call_id in (select roll_call_id from roll_calls)
        ),
        pairs as (
            select
                a.roll_call_id,
                a.vote as focal_vote,
                b.vote as reference_vote,
                case
                    when a.vote = 'X' and b.vote = 'X' then 'both_absent'
                    when a.vote = 'X' then 'focal_absent'
                    when b.vote = 'X' then 'reference_absent'
                    when a.vote = b.vote then 'identical'
                    when a.vote = 'A' or b.vote = 'A' then 'one_abstains'
                    else 'opposite'
                end as category
            from member_votes as a
            inner join member_votes as b on a.roll_call_id = b.roll_call_id
            where a.country_code = $focal and b.country_code = $reference
        )
        select
            roll_calls.resolution_symbol,
            roll_calls.vote_date,
            roll_calls.title,
            pairs.focal_vote,
            pairs.reference_vote,
            roll_calls.undl_link,
            roll_calls.roll_call_id
        from pairs
        inner join roll_calls on pairs.roll_call_id = roll_calls.roll_call_id
        where pairs.category = $category
        order by roll_calls.vote_date, roll_calls.resolution_symbol
    """
    return _df(con, sql, _params(selection) | {"reference": reference, "category": category})


def split_votes(con: duckdb.DuckDBPyConnection, selection: Selection) -> pd.DataFrame:
    """How the focal country voted when two of the references split, by the rules of
    marts.fct_split_votes: one row per roll call and pair (first before second in the order
    of the references) where one voted yes and the other no (full split), or one abstained and
    the other voted yes or no (partial split)."""
    if len(selection.reference_list) < 2:
        return pd.DataFrame(
            columns=[
                "roll_call_id",
                "resolution_symbol",
                "vote_date",
                "year",
                "title",
                "split_type",
                "first_country",
                "second_country",
                "first_vote",
                "second_vote",
                "focal_country",
                "focal_vote",
                "focal_alignment",
                "reference_votes",
                "undl_link",
            ]
        )
    sql = f"""
        with roll_calls as ({_roll_calls_sql(selection, con)}),
        refs as (
            select unnest($refs) as country_code, generate_subscripts($refs, 1) as position
        ),
        member_votes as (
            select roll_call_id, country_code, vote from marts.fct_votes
            where is_member and roll_call_id in (select roll_call_id from roll_calls)
        ),
        reference_votes as (
            select member_votes.roll_call_id, refs.country_code, refs.position, member_votes.vote
            from refs
            inner join member_votes on refs.country_code = member_votes.country_code
        ),
        all_reference_votes as (
            select
                roll_call_id,
                string_agg(country_code || '=' || vote, ' ' order by position) as reference_votes
            from reference_votes
            group by roll_call_id
        ),
        splits as (
            select
                first_ref.roll_call_id,
                first_ref.country_code as first_country,
                second_ref.country_code as second_country,
                first_ref.position as first_position,
                second_ref.position as second_position,
                first_ref.vote as first_vote,
                second_ref.vote as second_vote,
                case
                    when first_ref.vote in ('Y', 'N') and second_ref.vote in ('Y', 'N')
                        then 'full'
                    else 'partial'
                end as split_type
            from reference_votes as first_ref
            inner join reference_votes as second_ref
                on first_ref.roll_call_id = second_ref.roll_call_id
                and first_ref.position < second_ref.position
            where
                (first_ref.vote = 'Y' and second_ref.vote = 'N')
                or (first_ref.vote = 'N' and second_ref.vote = 'Y')
                or (first_ref.vote = 'A' and second_ref.vote in ('Y', 'N'))
                or (first_ref.vote in ('Y', 'N') and second_ref.vote = 'A')
        ),
        focal_votes as (
            select roll_call_id, vote from member_votes where country_code = $focal
        )
        select
            roll_calls.roll_call_id,
            roll_calls.resolution_symbol,
            roll_calls.vote_date,
            roll_calls.year,
            roll_calls.title,
            splits.split_type,
            splits.first_country,
            splits.second_country,
            splits.first_vote,
            splits.second_vote,
            $focal as focal_country,
            focal_votes.vote as focal_vote,
            case
                when focal_votes.vote is null or focal_votes.vote = 'X' then 'absent'
                when focal_votes.vote = splits.first_vote then 'with_first'
                when focal_votes.vote = splits.second_vote then 'with_second'
                when splits.split_type = 'full' then 'abstained'
                else 'with_neither'
            end as focal_alignment,
            all_reference_votes.reference_votes,
            roll_calls.undl_link
        from splits
        inner join roll_calls on splits.roll_call_id = roll_calls.roll_call_id
        inner join all_reference_votes on splits.roll_call_id = all_reference_votes.roll_call_id
        left join focal_votes on splits.roll_call_id = focal_votes.roll_call_id
        order by
            splits.first_position, splits.second_position, splits.split_type,
            roll_calls.vote_date, roll_calls.roll_call_id
    """
    return _df(con, sql, _params(selection))


def split_summary(splits: pd.DataFrame, references: Sequence[str]) -> pd.DataFrame:
    """Split votes counted per pair of references and split type, with the number and share
    of each way the focal country voted (as marts.fct_split_vote_summary, for the selection)."""
    columns = [
        "first_country",
        "second_country",
        "split_type",
        "n_splits",
        *(f"n_{a}" for a in ALIGNMENTS),
        *(f"share_{a}" for a in ALIGNMENTS),
    ]
    if splits.empty:
        return pd.DataFrame(columns=columns)
    position = {code: i for i, code in enumerate(references)}
    counted = (
        splits.groupby(["first_country", "second_country", "split_type", "focal_alignment"])
        .size()
        .unstack("focal_alignment", fill_value=0)
        .reindex(columns=list(ALIGNMENTS), fill_value=0)
    )
    table = counted.add_prefix("n_").reset_index()
    table.columns.name = None
    table.insert(3, "n_splits", counted.sum(axis=1).to_numpy())
    for alignment in ALIGNMENTS:
        table[f"share_{alignment}"] = table[f"n_{alignment}"] / table["n_splits"]
    order = table.apply(
        lambda r: (position.get(r["first_country"], 0), position.get(r["second_country"], 0)),
        axis=1,
    )
    table = table.assign(_order=order).sort_values(["_order", "split_type"])
    return table.drop(columns="_order").reset_index(drop=True)[columns]
