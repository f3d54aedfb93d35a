"""Benchmark of the loads against DuckDB's own reading of the same files (`make bench-load`).

For the UN Digital Library file it times, in the same run and alternating: DuckDB reading the
file with `read_csv(..., all_varchar = true)` (counting the rows, and reading them into a table
of a new database file), and `unga load` of the file into a new warehouse. Each runs in its own
process, under /usr/bin/time, which gives the wall time and the peak resident memory. Then it
times `unga load --kind` of the other sources that are there. Voeten's own Dataverse file is not
beside the project: a file in its layout is written from the unvotes files (the same votes, one
row per country and roll call, R's way of writing CSV) unless --voeten names a real one.

It prints a Markdown table: for each, the median of --runs runs of the wall time, of the time the
work took inside the process (what `unga load` reports, and the time of DuckDB's query), and of
the peak memory; then the ratios of the UN Digital Library load to DuckDB's reads. A developer's
tool: it is not part of the `unga` command.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

SHARED = Path(os.environ.get("UNGA_SHARED_DATA") or Path.cwd().parent / "shared" / "data")
UNGA = Path(sys.executable).with_name("unga")
TIME = "/usr/bin/time"

COUNT = "select count(*) from read_csv(?, all_varchar = true)"
TABLE = "create table votes as select * from read_csv(?, all_varchar = true)"
DUCKDB_READ = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("set enable_progress_bar = false")
started = time.perf_counter()
con.execute(sys.argv[3], [sys.argv[1]]).fetchall()
print(f"read in {time.perf_counter() - started:.2f} s", file=sys.stderr)
"""

# Voeten's Dataverse layout, from the unvotes files: the roll call's attributes on every row.
DATAVERSE_SQL = """
copy (
    select
        votes.rcid,
        100 + dense_rank() over (order by votes.country) as ccode,
        1 as member,
        case votes.vote when 'yes' then 1 when 'abstain' then 2 else 3 end as vote,
        votes.country_code as "Country",
        votes.country as "Countryname",
        year(cast(calls.date as date)) as year,
        calls.session,
        calls.importantvote,
        calls.date,
        calls.unres,
        calls.amend,
        calls.para,
        calls.short,
        calls.descr,
        {issues}
    from read_csv(?, all_varchar = true) as votes
    inner join read_csv(?, all_varchar = true) as calls on votes.rcid = calls.rcid
    order by votes.rcid, votes.country
) to '{target}' (header, quote '"', force_quote *, nullstr 'NA')
"""


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time of the process
    inside: float  # the work itself, as the process tells it ("in 1.23 s")
    peak_mb: float


def timed(command: list[str]) -> Run:
    """Run a command under /usr/bin/time: its wall time, the time it reports, its peak memory."""
    done = subprocess.run([TIME, "-f", "%e %M", *command], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"error: {' '.join(command)} failed:\n{done.stderr[-2000:]}")
    seconds, kb = re.findall(r"^([0-9.]+) ([0-9]+)$", done.stderr, re.MULTILINE)[-1]
    inside = re.findall(r" in ([0-9.]+) s$", done.stderr, re.MULTILINE)[-1]
    return Run(float(seconds), float(inside), int(kb) / 1024)


def duckdb_read(path: Path, db: Path, sql: str) -> Run:
    db.unlink(missing_ok=True)
    return timed([sys.executable, "-c", DUCKDB_READ, str(path), str(db), sql])


def unga_load(work: Path, source: Path, kind: str = "undl") -> Run:
    db = work / f"{kind}.duckdb"
    db.unlink(missing_ok=True)
    return timed([str(UNGA), "load", "--kind", kind, "--source", str(source), "--db", str(db)])


def dataverse_file(unvotes: Path, target: Path) -> Path:
    issues = ", ".join(
        f"cast(exists (select 1 from read_csv('{unvotes / 'issues.csv.gz'}', all_varchar = true)"
        f" as i where i.rcid = votes.rcid and i.short_name = '{code}') as integer) as {code}"
        for code in ("me", "nu", "di", "hr", "co", "ec")
    )
    con = duckdb.connect()
    con.execute(
        DATAVERSE_SQL.format(issues=issues, target=target),
        [str(unvotes / "unvotes.csv.gz"), str(unvotes / "roll_calls.csv.gz")],
    )
    con.close()
    return target


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.inside for r in runs),
        statistics.median(r.peak_mb for r in runs),
    )


def row(what: str, runs: list[Run]) -> str:
    m = median(runs)
    each = ", ".join(f"{r.seconds:.1f}" for r in runs)
    return f"| {what} | {m.seconds:.2f} s | {m.inside:.2f} s | {m.peak_mb:,.0f} MB | {each} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_load.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--undl", type=Path, default=SHARED / "undl" / "ga_voting.csv.gz")
    parser.add_argument("--unvotes", type=Path, default=SHARED / "unvotes")
    parser.add_argument("--dgacm", type=Path, default=SHARED / "dgacm")
    parser.add_argument("--voeten", type=Path, help="Voeten's UNVotes.csv (default: written)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.undl.is_file():
        print(f"error: the UN Digital Library file {args.undl} is not there", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="unga-bench-load-") as tmp:
        work = Path(tmp)
        counts, tables, loads = [], [], []
        for i in range(args.runs):
            print(f"run {i + 1} of {args.runs}", file=sys.stderr)
            counts.append(duckdb_read(args.undl, work / "count.duckdb", COUNT))
            tables.append(duckdb_read(args.undl, work / "table.duckdb", TABLE))
            loads.append(unga_load(work, args.undl))
        load, count, table = median(loads), median(counts), median(tables)
        print("| what | wall time | of which the work | peak memory | wall time of each run (s) |")
        print("|---|---|---|---|---|")
        print(row("DuckDB counts the rows: `read_csv(..., all_varchar = true)`", counts))
        print(row("DuckDB reads them into a table of a new file", tables))
        print(row("`unga load` of the UN Digital Library file", loads))
        others: list[tuple[str, str, Path]] = []
        if (args.unvotes / "unvotes.csv.gz").is_file():
            others.append(("unvotes", "Voeten's unvotes files", args.unvotes))
            voeten = args.voeten or dataverse_file(args.unvotes, work / "UNVotes.csv")
            what = "Voeten's UNVotes.csv" + ("" if args.voeten else " (written from unvotes)")
            others.append(("voeten", what, voeten))
        if args.dgacm.is_dir():
            others.append(("dgacm", "the DGACM extracts", args.dgacm))
        for kind, what, source in others:
            runs = [unga_load(work, source, kind) for _ in range(args.runs)]
            print(row(f"`unga load --kind {kind}` of {what}", runs))
        print(
            f"\nMedians of {args.runs} runs, each in its own process. The UN Digital Library "
            f"load takes {load.seconds / table.seconds:.1f} times the wall time of DuckDB reading "
            f"the file into a table ({load.inside / table.inside:.1f} times its work), and "
            f"{load.seconds / count.seconds:.1f} times that of DuckDB counting its rows "
            f"({load.inside / count.inside:.1f} times its work)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
