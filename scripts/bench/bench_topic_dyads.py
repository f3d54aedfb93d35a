"""What an all-pairs table of cohesion by year and topic would cost, against the analyses.

The warehouse answers cohesion by topic through marts.focal_cohesion (computed on demand for
the selected states). The alternative is a table of every pair of states by year and topic.
This builds that table in memory the cheapest way we know (integer country keys, each pair
once, a < b, counts only, no measures) from the built warehouse, and reports its rows, time
and memory, beside the time of the analysis for one selection.

    .venv/bin/python scripts/bench/bench_topic_dyads.py [--db warehouse/unga.duckdb]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import duckdb

PAIRS = """
create temp table topic_pairs as
with
keys as (
    select country_code, cast(row_number() over (order by country_code) as smallint) as k
    from w.marts.dim_countries
),
votes as (
    select v.roll_call_id, keys.k, v.vote, v.year
    from w.marts.fct_votes as v
    inner join keys on v.country_code = keys.country_code
    where v.is_member
),
topics as (
    select roll_call_id, topic_code from w.marts.dim_roll_call_topics
)
select
    topics.topic_code, a.year, a.k as a, b.k as b,
    count(*) as n_roll_calls,
    count(*) filter (where a.vote = b.vote and a.vote <> 'X') as n_identical,
    count(*) filter (where a.vote = 'Y' and b.vote = 'N' or a.vote = 'N' and b.vote = 'Y')
        as n_opposite,
    count(*) filter (where (a.vote = 'A') <> (b.vote = 'A') and a.vote <> 'X' and b.vote <> 'X')
        as n_one_abstains
from votes as a
inner join votes as b on a.roll_call_id = b.roll_call_id and a.k < b.k
inner join topics on a.roll_call_id = topics.roll_call_id
group by all
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("warehouse/unga.duckdb"))
    args = parser.parse_args(argv)
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{args.db}' as w (read_only)")
    started = time.perf_counter()
    con.execute(PAIRS)
    seconds = time.perf_counter() - started
    rows = con.execute("select count(*) from topic_pairs").fetchone()[0]
    con.execute("use w")
    started = time.perf_counter()
    con.execute(
        "select * from marts.focal_cohesion('KAZ', ['RUS', 'CHN', 'USA', 'DEU'], 2007, 2022)"
    ).fetchall()
    analysis = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print("| what | rows | seconds |")
    print("|---|---|---|")
    print(f"| all-pairs table by year and topic, counts only, a < b | {rows:,} | {seconds:.1f} |")
    print(f"| marts.focal_cohesion, KAZ against 4, 2007-2022, every topic | - | {analysis:.2f} |")
    print(f"\npeak memory of this process: {peak:.1f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
