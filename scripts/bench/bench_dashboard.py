"""Time what the dashboard asks the serving copy for, over random selections.

For each selection (a focal country, two to six references, a window of years, all roll calls
or one topic; drawn with a fixed seed), time the calls one page makes: the cohesion by year
and the ranking (marts.focal_cohesion), the split votes and their summary
(marts.split_votes, marts.split_vote_summary) and the roll calls behind one count
(marts.dyad_roll_calls). Prints a Markdown table of the median and 90th percentile.

    .venv/bin/python scripts/bench/bench_dashboard.py [--serving PATH] [--selections N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from unga import serving
from unga.dashboard import data
from unga.errors import UserError


def _selections(choices: data.Choices, n: int, seed: int) -> list[data.Selection]:
    rng = random.Random(seed)
    codes = sorted(choices.countries.country_code)
    topics = sorted(choices.topics)
    chosen = []
    for _ in range(n):
        focal, *refs = rng.sample(codes, rng.randint(3, 7))
        start = rng.randint(choices.first_year, choices.last_year)
        end = rng.randint(start, min(choices.last_year, start + 30))
        topic = rng.choice(topics) if rng.random() < 0.3 else data.ALL_TOPICS
        chosen.append(data.Selection(focal, tuple(refs), start, end, topic))
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serving", type=Path, default=serving.serving_path())
    parser.add_argument("--selections", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        con = data.connect(args.serving)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    choices = data.choices(con)
    choices_seconds = time.perf_counter() - started
    calls: dict[str, Callable[[data.Selection], object]] = {
        "cohesion by year and ranking": lambda s: data.cohesion(con, s),
        "split votes": lambda s: data.split_votes(con, s),
        "split vote summary": lambda s: data.split_summary(con, s),
        "roll calls behind a count": lambda s: data.dyad_roll_calls(
            con, s, s.reference_list[0], "identical"
        ),
    }
    timings: dict[str, list[float]] = {name: [] for name in [*calls, "whole selection"]}
    for selection in _selections(choices, args.selections, args.seed):
        total = 0.0
        for name, call in calls.items():
            started = time.perf_counter()
            call(selection)
            seconds = time.perf_counter() - started
            timings[name].append(seconds)
            total += seconds
        timings["whole selection"].append(total)
    con.close()
    print(f"{args.selections} random selections on {args.serving}")
    print(f"(page set-up, marts.dim_* and defaults: {choices_seconds * 1000:.0f} ms)\n")
    print("| call | median | 90th percentile |")
    print("|---|---|---|")
    for name, values in timings.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"| {name} | {statistics.median(values) * 1000:.0f} ms | {p90 * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
