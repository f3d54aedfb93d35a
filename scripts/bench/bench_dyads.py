"""Benchmark of the dyad marts against a straightforward pandas implementation (`make bench`).

On a copy of a built warehouse: time `dbt run` of marts.fct_dyad_year_agreement and
marts.fct_dyad_session_agreement, then compute the same counts with pandas (self-merge of the
member votes on the roll call, group by period and pair), check that both give identical
counts for every pair and period, and print the timings, peak memory and the ratio.
With --scaling (`make bench-scaling`), time the year mart's SQL on growing slices of the votes
instead. A developer's tool: it is not part of the `unga` command.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from unga.errors import UserError
from unga.pipeline import dbt_executable
from unga.project import find_project

VOTE_CODES = {"Y": 0, "N": 1, "A": 2, "X": 3}
# (a vote, b vote) -> count column; X with X is both absent, X with a vote is one absent.
COMBINATIONS: dict[tuple[int, int], str] = {
    (0, 0): "n_both_yes",
    (1, 1): "n_both_no",
    (2, 2): "n_both_abstain",
    (0, 1): "n_a_yes_b_no",
    (1, 0): "n_a_no_b_yes",
    (0, 2): "n_a_yes_b_abstain",
    (1, 2): "n_a_no_b_abstain",
    (2, 0): "n_a_abstain_b_yes",
    (2, 1): "n_a_abstain_b_no",
    (3, 0): "n_a_absent",
    (3, 1): "n_a_absent",
    (3, 2): "n_a_absent",
    (0, 3): "n_b_absent",
    (1, 3): "n_b_absent",
    (2, 3): "n_b_absent",
    (3, 3): "n_both_absent",
}
COUNT_COLUMNS = [
    "n_roll_calls", "n_both_yes", "n_both_no", "n_both_abstain", "n_a_yes_b_no", "n_a_no_b_yes",
    "n_a_yes_b_abstain", "n_a_no_b_abstain", "n_a_abstain_b_yes", "n_a_abstain_b_no",
    "n_a_absent", "n_b_absent", "n_both_absent",
]  # fmt: skip
SWAP = {
    "n_a_yes_b_no": "n_a_no_b_yes",
    "n_a_no_b_yes": "n_a_yes_b_no",
    "n_a_yes_b_abstain": "n_a_abstain_b_yes",
    "n_a_abstain_b_yes": "n_a_yes_b_abstain",
    "n_a_no_b_abstain": "n_a_abstain_b_no",
    "n_a_abstain_b_no": "n_a_no_b_abstain",
    "n_a_absent": "n_b_absent",
    "n_b_absent": "n_a_absent",
}


@dataclass(frozen=True)
class Timing:
    what: str
    seconds: float
    peak_mb: float
    rows: int


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def pandas_dyad_counts(votes: pd.DataFrame, period: str) -> pd.DataFrame:
    """Counts per (period, country_a, country_b), both orders, from member votes.

    `votes` has columns roll_call_id, country_code, vote (Y/N/A/X) and `period`.
    """
    frame = votes[["roll_call_id", period, "country_code", "vote"]].copy()
    frame["code"] = frame["vote"].map(VOTE_CODES).astype("int8")
    frame = frame.drop(columns="vote")
    pairs = frame.merge(frame, on=["roll_call_id", period], suffixes=("_a", "_b"))
    pairs = pairs[pairs["country_code_a"] < pairs["country_code_b"]]
    pairs["combo"] = pairs["code_a"] * 4 + pairs["code_b"]
    sizes = (
        pairs.groupby([period, "country_code_a", "country_code_b", "combo"], observed=True)
        .size()
        .unstack("combo", fill_value=0)
    )
    counts = pd.DataFrame(index=sizes.index)
    for column in COUNT_COLUMNS[1:]:
        combos = [a * 4 + b for (a, b), name in COMBINATIONS.items() if name == column]
        present = [c for c in combos if c in sizes.columns]
        counts[column] = sizes[present].sum(axis=1) if present else 0
    counts["n_roll_calls"] = sizes.sum(axis=1)
    counts = counts.reset_index().rename(
        columns={"country_code_a": "country_a", "country_code_b": "country_b"}
    )
    mirrored = counts.rename(columns={"country_a": "country_b", "country_b": "country_a", **SWAP})
    both = pd.concat([counts, mirrored], ignore_index=True)
    return both[[period, "country_a", "country_b", *COUNT_COLUMNS]]


def _run_dbt(project_dir: Path, db_path: Path, work: Path) -> Timing:
    env = os.environ | {
        "UNGA_DB": str(db_path),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    command = [dbt_executable(), "run", "--project-dir", str(project_dir), "--profiles-dir",
               str(project_dir), "--select", "fct_dyad_year_agreement",
               "fct_dyad_session_agreement"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=project_dir, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise UserError("dbt run of the dyad marts failed:\n" + done.stdout[-2000:])
    results = json.loads((work / "target" / "run_results.json").read_text())
    model_seconds = ", ".join(
        f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f} s" for r in results["results"]
    )
    return Timing(f"dbt run, 2 threads ({model_seconds})", seconds,
                  _peak_mb(resource.RUSAGE_CHILDREN), 0)  # fmt: skip


def _compare(con: duckdb.DuckDBPyConnection, mart: str, period: str, ours: pd.DataFrame) -> int:
    theirs = con.execute(
        f"select {period}, country_a, country_b, {', '.join(COUNT_COLUMNS)} from marts.{mart}"
    ).df()
    keys = [period, "country_a", "country_b"]
    merged = theirs.merge(ours, on=keys, how="outer", suffixes=("_mart", "_pandas"), indicator=True)
    only = int((merged["_merge"] != "both").sum())
    if only:
        raise UserError(f"{mart}: {only} pairs are in only one of the mart and pandas")
    differing = 0
    for column in COUNT_COLUMNS:
        differing += int((merged[f"{column}_mart"] != merged[f"{column}_pandas"]).sum())
    if differing:
        raise UserError(f"{mart}: {differing} counts differ between the mart and pandas")
    return len(merged)


def run(db_path: Path, project_dir: Path) -> list[Timing]:
    if not db_path.exists():
        raise UserError(f"the warehouse {db_path} does not exist yet: run `make build` first")
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="unga-bench-") as tmp:
        work = Path(tmp)
        copy = work / db_path.name
        shutil.copy2(db_path, copy)
        timings.append(_run_dbt(project_dir, copy, work))

        con = duckdb.connect(str(copy), read_only=True)
        try:
            votes = con.execute(
                """
                select votes.roll_call_id, votes.country_code, votes.vote, votes.year,
                    roll_calls.session
                from marts.fct_votes as votes
                inner join marts.dim_roll_calls as roll_calls
                    on votes.roll_call_id = roll_calls.roll_call_id
                where votes.is_member
                """
            ).df()
            for mart, period in (
                ("fct_dyad_year_agreement", "year"),
                ("fct_dyad_session_agreement", "session"),
            ):
                started = time.perf_counter()
                ours = pandas_dyad_counts(votes, period)
                seconds = time.perf_counter() - started
                rows = _compare(con, mart, period, ours)
                timings.append(Timing(f"pandas, {mart} counts", seconds,
                                      _peak_mb(resource.RUSAGE_SELF), rows))  # fmt: skip
                del ours
        finally:
            con.close()
    return timings


def scaling(db_path: Path, project_dir: Path) -> list[tuple[str, int, int, float, float]]:
    """Time the year mart's SQL on growing slices of the votes: by last year, by share of states.

    Returns (slice, votes, dyad rows, seconds, peak MB of the process) per slice.
    """
    if not db_path.exists():
        raise UserError(f"the warehouse {db_path} does not exist yet: run `make build` first")
    rows: list[tuple[str, int, int, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="unga-bench-") as tmp:
        work = Path(tmp)
        copy = work / db_path.name
        shutil.copy2(db_path, copy)
        env = os.environ | {"UNGA_DB": str(copy), "DBT_TARGET_PATH": str(work / "target"),
                            "DBT_LOG_PATH": str(work / "logs")}  # fmt: skip
        compiled = subprocess.run(
            [dbt_executable(), "compile", "--project-dir", str(project_dir), "--profiles-dir",
             str(project_dir), "--select", "fct_dyad_year_agreement", "--quiet"],
            env=env, cwd=project_dir, capture_output=True, text=True,
        )  # fmt: skip
        if compiled.returncode != 0:
            raise UserError("dbt compile of fct_dyad_year_agreement failed")
        sql_path = next((work / "target" / "compiled").rglob("fct_dyad_year_agreement.sql"))
        sql = sql_path.read_text()
        con = duckdb.connect(str(copy))
        try:
            con.execute("create table marts.all_votes as select * from marts.fct_votes")
            slices = [(f"years 1946-{y}", f"year <= {y}") for y in (1965, 1985, 2005, 2025)]
            slices += [
                (f"{share}% of states, all years", f"hash(country_code) % 100 < {share}")
                for share in (25, 50, 100)
            ]
            for label, condition in slices:
                con.execute(
                    "create or replace table marts.fct_votes as "
                    f"select * from marts.all_votes where {condition}"
                )
                n_votes = con.execute("select count(*) from marts.fct_votes").fetchone()[0]
                started = time.perf_counter()
                con.execute(f"create or replace temp table dyads as {sql}")
                seconds = time.perf_counter() - started
                n_rows = con.execute("select count(*) from dyads").fetchone()[0]
                rows.append((label, n_votes, n_rows, seconds, _peak_mb(resource.RUSAGE_SELF)))
        finally:
            con.close()
    return rows


def main_scaling(db_path: Path, project_dir: Path) -> None:
    print("| slice of fct_votes | votes | dyad-year rows | seconds | process peak MB |")
    print("|---|---|---|---|---|")
    for label, n_votes, n_rows, seconds, peak in scaling(db_path, project_dir):
        print(f"| {label} | {n_votes:,} | {n_rows:,} | {seconds:.1f} | {peak:,.0f} |")


def main_bench(db_path: Path, project_dir: Path) -> None:
    timings = run(db_path, project_dir)
    print("| what | wall time (s) | peak memory (MB) | rows checked |")
    print("|---|---|---|---|")
    for t in timings:
        print(f"| {t.what} | {t.seconds:.1f} | {t.peak_mb:,.0f} | {t.rows:,} |")
    dbt_seconds = timings[0].seconds
    pandas_seconds = sum(t.seconds for t in timings[1:])
    print(
        f"\npandas / dbt wall-time ratio: {pandas_seconds / dbt_seconds:.1f} "
        f"(pandas {pandas_seconds:.1f} s for both marts' counts, dbt {dbt_seconds:.1f} s for "
        "both marts with every measure); the counts agree on every pair.",
        file=sys.stdout,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench_dyads.py",
        description="On a copy of the built warehouse, time dbt run of the dyad marts and the "
        "same counts computed with pandas, check that they agree, and print a Markdown table.",
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("UNGA_DB") or "warehouse/unga.duckdb",
        help="warehouse file (default: $UNGA_DB or warehouse/unga.duckdb)",
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="instead, time the year mart's SQL on growing slices (years, share of states)",
    )
    args = parser.parse_args(argv)
    try:
        project_dir = find_project(None, os.environ, Path.cwd())
        if args.scaling:
            main_scaling(Path(args.db), project_dir)
        else:
            main_bench(Path(args.db), project_dir)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
