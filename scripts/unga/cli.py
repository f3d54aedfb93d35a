"""Command line: `unga load`, `unga build` and the other commands `unga --help` lists.

Settings come from options or, where an option is not given, from the environment:
UNGA_SOURCE (the voting-data file, a path or an http(s) URL), UNGA_DB (the warehouse file,
default warehouse/unga.duckdb) and UNGA_CACHE (download cache, default beside the warehouse).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from unga import __version__, fetch
from unga.bench import main_bench, main_scaling
from unga.errors import UserError
from unga.ideal_points.compare import main_compare
from unga.ideal_points.warehouse import main_estimate
from unga.load import load
from unga.pipeline import BuildFailed, build, describe_load
from unga.publish import PublishFailed, describe_publish, publish
from unga.report import DEFAULT_CHART_MEASURES, MEASURES, main_report
from unga.sources import ENV_VARS as EXTRA_KINDS
from unga.sources import load_kind

DEFAULT_DB = "warehouse/unga.duckdb"
PROJECT_DIR = Path(__file__).resolve().parents[2]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unga",
        description="Load UN General Assembly roll-call votes into DuckDB and build the "
        "warehouse with dbt.",
        epilog="Environment: UNGA_SOURCE (path or http(s) URL of the UN Digital Library "
        "'General Assembly Voting Data' CSV, plain or .gz), UNGA_DB (warehouse file, default "
        f"{DEFAULT_DB}), UNGA_CACHE (download cache, default <warehouse folder>/cache).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--source",
            help="voting-data file: a local path or an http(s) URL (default: $UNGA_SOURCE)",
        )
        p.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
        p.add_argument(
            "--cache",
            help="download cache folder (default: $UNGA_CACHE or <warehouse folder>/cache)",
        )
        p.add_argument(
            "--force",
            action="store_true",
            help="reload even if the same file (same sha256) is already loaded",
        )

    p_load = sub.add_parser(
        "load",
        help="load the voting-data file into raw.* in one transaction",
        description="Load the voting-data file into the raw schema in one transaction. "
        "Unreadable rows go to raw.rejected_rows; every load is logged in raw.load_log.",
    )
    common(p_load)
    p_load.add_argument(
        "--kind",
        choices=("undl", *EXTRA_KINDS),
        default="undl",
        help="which source --source is: undl (default, the UN Digital Library file), unvotes "
        "(folder of the unvotes / TidyTuesday CSVs; default $UNGA_UNVOTES_DIR), voeten "
        "(Voeten's UNVotes.csv, path or URL; default $UNGA_VOETEN_CSV) or dgacm (folder of "
        "DGACM JSON-lines extracts; default $UNGA_DGACM_DIR)",
    )
    p_build = sub.add_parser(
        "build",
        help="load (if a source is given), run dbt build, and swap the result in on success",
        description="Load the source (if given) and run `dbt build` on a working copy of the "
        "warehouse; the warehouse is replaced only if the load, every model and every test "
        "succeeded. The extra sources named by UNGA_UNVOTES_DIR, UNGA_VOETEN_CSV and "
        "UNGA_DGACM_DIR are loaded too. Arguments after -- go to dbt build (e.g. -- --vars "
        "'{start_year: 2000}').",
    )
    common(p_build)
    p_build.add_argument("dbt_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p_report = sub.add_parser(
        "report",
        help="write the focal-country reproduction report (Markdown and PNG charts)",
        description="Write the reproduction report for the focal country, references and window "
        "of the last build (dbt vars focal_country, reference_countries, start_year, end_year) "
        "from the cohesion marts.",
    )
    p_report.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    p_report.add_argument(
        "--out",
        default="reports/focal_cohesion.md",
        help="report file; charts are written beside it (default: %(default)s)",
    )
    p_report.add_argument(
        "--measures",
        default=",".join(DEFAULT_CHART_MEASURES),
        help="comma-separated measures to chart by year, from: "
        + ", ".join(MEASURES)
        + " (default: %(default)s)",
    )
    p_bench = sub.add_parser(
        "bench",
        help="time the dyad marts against a pandas implementation and check they agree",
        description="On a copy of the built warehouse, time dbt run of the dyad marts and the "
        "same counts computed with pandas, check that they agree, and print a Markdown table.",
    )
    p_bench.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    p_bench.add_argument(
        "--scaling",
        action="store_true",
        help="instead, time the year mart's SQL on growing slices (years, share of states)",
    )
    p_publish = sub.add_parser(
        "publish",
        help="publish the marts of the warehouse as serving.duckdb and parquet/ beside it",
        description="Copy the marts of the current warehouse into serving.duckdb and one "
        "Parquet file per mart (parquet/, with manifest.json) beside it, each swapped in "
        "atomically. `unga build` does this after every successful build.",
    )
    p_publish.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    p_ideal = sub.add_parser(
        "ideal-points",
        help="ideal points: compare the warehouse's with Voeten's published estimates",
        description="Ideal points (marts.fct_ideal_points, docs/IDEAL_POINTS.md).",
    )
    ideal_sub = p_ideal.add_subparsers(dest="ideal_command", required=True)
    p_compare = ideal_sub.add_parser(
        "compare",
        help="correlate the warehouse's ideal points with Voeten's, year by year and pooled",
        description="Run the comparison SQL (scripts/unga/ideal_points/sql/compare_voeten.sql) "
        "read-only against the warehouse with your copy of Erik Voeten's ideal-point file "
        "(IdealpointestimatesAll_Apr2020.csv from his Dataverse or GitHub repository) and "
        "print the pooled correlation, the median and lowest yearly correlations against the "
        "quality targets, and the largest disagreements.",
    )
    p_compare.add_argument("--voeten", required=True, help="Voeten's ideal-point CSV file")
    p_compare.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    p_compare.add_argument(
        "--top", type=int, default=15, help="largest disagreements to list (default: %(default)s)"
    )
    p_compare.add_argument(
        "--by-year", action="store_true", help="also print the correlation of every year"
    )
    p_estimate = ideal_sub.add_parser(
        "estimate",
        help="estimate again from the warehouse's prepared votes and time it (a benchmark)",
        description="Estimate the ideal points again from the votes the warehouse prepared "
        "(intermediate.int_ideal_point_votes), read-only, and print the time, this process's "
        "peak memory and whether the result equals the warehouse's own estimate. `make build` "
        "estimates by itself; this command measures it (docs/PERFORMANCE.md).",
    )
    p_estimate.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    return parser


def _settings(args: argparse.Namespace) -> tuple[str | None, Path, Path]:
    source = getattr(args, "source", None) or os.environ.get("UNGA_SOURCE") or None
    db = Path(args.db or os.environ.get("UNGA_DB") or DEFAULT_DB)
    cache = Path(
        getattr(args, "cache", None) or os.environ.get("UNGA_CACHE") or db.parent / "cache"
    )
    return source, db, cache


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    source, db, cache = _settings(args)
    try:
        if args.command == "load" and args.kind != "undl":
            extra = args.source or os.environ.get(EXTRA_KINDS[args.kind])
            if not extra:
                raise UserError(
                    f"no {args.kind} source given: set {EXTRA_KINDS[args.kind]} or pass --source"
                )
            load_kind(args.kind, extra, db, cache, force=args.force)
        elif args.command == "load":
            if not source:
                raise UserError("no source given: set UNGA_SOURCE or pass --source")
            local = fetch.resolve(source, cache)
            started = time.monotonic()
            report = load(local.path, local.origin, db, force=args.force)
            describe_load(report, time.monotonic() - started)
        elif args.command == "bench":
            if args.scaling:
                main_scaling(db, PROJECT_DIR)
            else:
                main_bench(db, PROJECT_DIR)
        elif args.command == "report":
            measures = [m.strip() for m in args.measures.split(",") if m.strip()]
            main_report(db, Path(args.out), measures)
        elif args.command == "publish":
            describe_publish(publish(db))
        elif args.command == "ideal-points" and args.ideal_command == "compare":
            main_compare(db, Path(args.voeten), args.top, args.by_year)
        elif args.command == "ideal-points":
            main_estimate(db)
        else:
            dbt_args = [a for a in args.dbt_args if a != "--"]
            build(source, db, cache, PROJECT_DIR, dbt_args, force_load=args.force)
            print(f"warehouse built: {db}", file=sys.stderr)
    except PublishFailed as err:
        print(f"error: {err}", file=sys.stderr)
        if args.command == "build":
            print(
                f"the warehouse {db} was built, but its serving copy and Parquet files were left "
                "as they were: run `unga publish` to publish it",
                file=sys.stderr,
            )
        return 1
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        if args.command == "build":
            print(f"the warehouse {db} was left as it was", file=sys.stderr)
        return 2
    except BuildFailed:
        print(
            f"error: dbt build failed (see above); the warehouse {db} was left as it was",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("interrupted; the warehouse was left as it was", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
