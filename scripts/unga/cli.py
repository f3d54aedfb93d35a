"""Command line: `unga load`, `unga build` and the other commands `unga --help` lists.

Settings come from options or, where an option is not given, from the environment:
UNGA_SOURCE (the voting-data file, a path or an http(s) URL), UNGA_DB (the warehouse file,
default warehouse/unga.duckdb), UNGA_CACHE (download cache, default beside the warehouse),
UNGA_UNDL_RECORD, UNGA_VOETEN_DATASET and UNGA_DGACM_LISTING (where the newest releases are
looked for) and, for `unga build`, `unga update` and `unga docs`, UNGA_PROJECT_DIR (the dbt
project, default: the current folder or the nearest one above it holding dbt_project.yml).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from unga import __version__, docs, releases
from unga import export as exporting
from unga import superset as superset_app
from unga.errors import UserError
from unga.ideal_points.compare import main_compare
from unga.loading import registry
from unga.pipeline import BuildFailed, build
from unga.project import ENV_VAR as PROJECT_ENV_VAR
from unga.project import find_project
from unga.publish import PublishFailed, describe_publish, publish
from unga.serving import serving_path
from unga.update import OPTIONAL, update

DEFAULT_DB = "warehouse/unga.duckdb"
# The measures `unga report` charts when --measures is not given.
DEFAULT_CHART_MEASURES = ("identical_share", "agreement_index", "cohen_kappa", "s_score")
# The commands that build the warehouse on a working copy (which a failure leaves as it was).
BUILDS = ("build", "update")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unga",
        description="Load UN General Assembly roll-call votes into DuckDB and build the "
        "warehouse with dbt.",
        epilog="Environment: UNGA_SOURCE (path or http(s) URL of the UN Digital Library "
        "'General Assembly Voting Data' CSV, plain or .gz; without it, an empty warehouse is "
        "built from the newest release of the record UNGA_UNDL_RECORD, default "
        f"{releases.FINDERS['undl'].default}), UNGA_DB (warehouse file, default "
        f"{DEFAULT_DB}), UNGA_CACHE (download cache, default <warehouse folder>/cache), "
        f"{PROJECT_ENV_VAR} (the dbt project, for build, update and docs; default: the current "
        "folder or the nearest one above it holding dbt_project.yml).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def project_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--project-dir",
            help=f"the dbt project folder (default: ${PROJECT_ENV_VAR}, else the current folder "
            "or the nearest one above it holding dbt_project.yml)",
        )

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
        choices=tuple(registry.KINDS),
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
        "succeeded. Without a source, a warehouse that holds votes is rebuilt from them, and "
        "an empty one is built from the newest release of the UN Digital Library's record "
        "(found in its MARCXML export, then downloaded). The extra sources named by "
        "UNGA_UNVOTES_DIR, UNGA_VOETEN_CSV and UNGA_DGACM_DIR are loaded too. Arguments after "
        "-- go to dbt build (e.g. -- --vars '{start_year: 2000}').",
    )
    common(p_build)
    project_option(p_build)
    p_build.add_argument("dbt_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    finders = releases.FINDERS
    p_update = sub.add_parser(
        "update",
        help="ask the sources for a newer release; download, load and build only if there is one",
        description="Ask the UN Digital Library whether its record lists a newer voting-data "
        "file than the one loaded (by its name, date, size, ETag and Last-Modified), say what "
        "was found in one line, and only when it is newer download it, load it and build, as "
        "`unga build` does. Where to look: UNGA_UNDL_RECORD (default "
        f"{finders['undl'].default}). With --with, the optional sources that have a stable "
        f"address are asked too: voeten (Voeten's Dataverse dataset, {finders['voeten'].env_var}"
        f", default {finders['voeten'].default}) and dgacm (the DGACM extracts' folder on "
        f"GitHub, {finders['dgacm'].env_var}, default {finders['dgacm'].default}). When "
        "UNGA_SOURCE is set, that file is loaded and built instead. Arguments after -- go to "
        "dbt build.",
    )
    p_update.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    p_update.add_argument(
        "--cache", help="download cache folder (default: $UNGA_CACHE or <warehouse folder>/cache)"
    )
    p_update.add_argument(
        "--with",
        dest="extra",
        metavar="SOURCES",
        default="",
        help="comma-separated optional sources to update too: " + ", ".join(OPTIONAL),
    )
    project_option(p_update)
    p_update.add_argument("dbt_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p_report = sub.add_parser(
        "report",
        help="write the cohesion report of a focal country (Markdown and PNG charts)",
        description="Write the cohesion report of a focal country with reference countries "
        "over a window of years, from the published serving copy, into reports/<focal>_<start>-"
        "<end>_<references>/ (report.md and its charts). What is not given is taken from the "
        "selection of the last build (dbt vars focal_country, reference_countries, start_year, "
        "end_year).",
    )
    _serving_options(p_report)
    p_report.add_argument("--focal", help="focal country, ISO alpha-3 code (e.g. TUR)")
    p_report.add_argument(
        "--references", help="reference countries, comma-separated ISO alpha-3 codes, in order"
    )
    p_report.add_argument("--start", type=int, help="first year of the window")
    p_report.add_argument("--end", type=int, help="last year of the window")
    p_report.add_argument(
        "--out-dir",
        help="folder for report.md and its charts (default: <$UNGA_REPORTS or reports>/"
        "<selection>/)",
    )
    p_report.add_argument(
        "--measures",
        default=",".join(DEFAULT_CHART_MEASURES),
        help="comma-separated measures to chart by year (marts.dim_measures.measure_code; "
        "default: %(default)s)",
    )
    p_groups = sub.add_parser(
        "group-report",
        help="write the report on groups of states (Markdown and PNG charts)",
        description="Write the report on groups of states from the published serving copy: "
        "their cohesion by year, the members that broke away most, and a country against the "
        "groups' majorities (docs/GROUPS.md), into reports/groups_<groups>_<start>-<end>_"
        "<country>/ (report.md and its charts).",
    )
    p_groups.add_argument(
        "--groups",
        required=True,
        help="groups, comma-separated codes of marts.dim_groups (e.g. EAEU,SCO,CIS)",
    )
    p_groups.add_argument(
        "--focal", required=True, help="country compared with the groups, ISO alpha-3 code"
    )
    p_groups.add_argument("--start", type=int, required=True, help="first year")
    p_groups.add_argument("--end", type=int, required=True, help="last year")
    _serving_options(p_groups)
    p_groups.add_argument(
        "--out-dir",
        help="folder for report.md and its charts (default: <$UNGA_REPORTS or reports>/"
        "groups_<groups>_<start>-<end>_<country>/)",
    )
    p_publish = sub.add_parser(
        "publish",
        help="publish the marts of the warehouse as serving.duckdb and parquet/ beside it",
        description="Copy the marts of the current warehouse into serving.duckdb and one "
        "Parquet file per mart (parquet/, with manifest.json) beside it, each swapped in "
        "atomically. `unga build` does this after every successful build.",
    )
    p_publish.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    p_export = sub.add_parser(
        "export",
        help="write marts as CSV and Stata .dta files (with variable labels) for R and Stata",
        description="Write chosen marts of the published serving copy as <mart>.csv and "
        "<mart>.dta (Stata 14+, variable labels from the column descriptions) into export/ "
        "beside the serving copy (warehouse/export/ by default).",
    )
    _serving_options(p_export)
    p_export.add_argument(
        "--marts",
        help="comma-separated marts, or all (default: " + ", ".join(exporting.DEFAULT_MARTS) + ")",
    )
    p_export.add_argument(
        "--formats", default="csv,dta", help="comma-separated: csv, dta (default: %(default)s)"
    )
    p_export.add_argument("--out-dir", help="folder to write to (default: export/ beside it)")
    p_docs = sub.add_parser(
        "docs",
        help="generate dbt's documentation site (checked complete) and optionally serve it",
        description="Run dbt docs generate on a copy of the built warehouse into target/docs/, "
        "check that every model, column, test, exposure, source, seed and macro is described, "
        "and with --serve serve the site locally.",
    )
    p_docs.add_argument("--db", help=f"warehouse file (default: $UNGA_DB or {DEFAULT_DB})")
    project_option(p_docs)
    p_docs.add_argument("--serve", action="store_true", help="serve the site once generated")
    p_docs.add_argument("--host", default="127.0.0.1", help="address to serve on (%(default)s)")
    p_docs.add_argument("--port", type=int, default=docs.DEFAULT_PORT, help="(%(default)s)")
    p_superset = sub.add_parser(
        "superset",
        help="start Apache Superset on the serving copy with the project's dashboard",
        description="Prepare Superset (installed in .venv-superset by `make superset-install`): "
        "its metadata database, the admin account (password from $UNGA_SUPERSET_PASSWORD, "
        "else generated and printed once), the database connection to the serving copy "
        "(read-only), the datasets, charts and dashboard of superset/assets/; then serve it.",
    )
    _serving_options(p_superset)
    p_superset.add_argument(
        "--home",
        help="folder for Superset's own state (default: $UNGA_SUPERSET_HOME, else superset/ "
        "beside the serving copy)",
    )
    p_superset.add_argument("--host", default="127.0.0.1", help="address to serve on (%(default)s)")
    p_superset.add_argument(
        "--port", type=int, default=superset_app.DEFAULT_PORT, help="(%(default)s)"
    )
    p_superset.add_argument(
        "--no-serve", action="store_true", help="prepare everything, then exit without serving"
    )
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


def _serving_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", help=f"warehouse whose serving copy to read (default: $UNGA_DB or {DEFAULT_DB})"
    )
    p.add_argument(
        "--serving",
        help="serving copy to read (default: $UNGA_SERVING, else serving.duckdb beside the "
        f"warehouse, $UNGA_DB or {DEFAULT_DB})",
    )


def _serving(args: argparse.Namespace, db: Path) -> Path:
    if args.serving:
        return Path(args.serving)
    return serving_path(os.environ | {"UNGA_DB": str(db)})


def _settings(args: argparse.Namespace) -> tuple[str | None, Path, Path]:
    source = getattr(args, "source", None) or os.environ.get("UNGA_SOURCE") or None
    db = Path(args.db or os.environ.get("UNGA_DB") or DEFAULT_DB)
    cache = Path(
        getattr(args, "cache", None) or os.environ.get("UNGA_CACHE") or db.parent / "cache"
    )
    return source, db, cache


def _optional_sources(given: str) -> list[str]:
    names = [n.strip() for n in given.split(",") if n.strip()]
    unknown = [n for n in names if n not in OPTIONAL]
    if unknown:
        raise UserError(
            f"--with takes {' and '.join(OPTIONAL)}, not {', '.join(unknown)} (the UN Digital "
            "Library voting data is always updated)"
        )
    return list(dict.fromkeys(names))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    source, db, cache = _settings(args)
    try:
        if args.command == "load":
            kind = registry.KINDS[args.kind]
            given = registry.source_setting(kind, args.source, os.environ)
            registry.load(kind, given, db, cache, force=args.force)
        elif args.command == "report":
            # The reports and the estimate need pandas, numpy and matplotlib: imported by the
            # commands that use them, so that the others start in a fraction of a second.
            from unga.report import main_report

            main_report(
                _serving(args, db),
                Path(args.out_dir) if args.out_dir else None,
                [m.strip() for m in args.measures.split(",") if m.strip()],
                focal=args.focal,
                references=args.references.split(",") if args.references else None,
                start_year=args.start,
                end_year=args.end,
            )
        elif args.command == "group-report":
            from unga.group_report import main_group_report

            main_group_report(
                _serving(args, db),
                Path(args.out_dir) if args.out_dir else None,
                args.groups.split(","),
                args.focal,
                args.start,
                args.end,
            )
        elif args.command == "publish":
            describe_publish(publish(db))
        elif args.command == "export":
            exporting.export(
                _serving(args, db),
                Path(args.out_dir) if args.out_dir else None,
                [m.strip() for m in args.marts.split(",") if m.strip()] if args.marts else None,
                [f.strip() for f in args.formats.split(",") if f.strip()],
            )
        elif args.command == "docs":
            project_dir = find_project(args.project_dir, os.environ, Path.cwd())
            target = docs.generate(db, project_dir)
            if args.serve:
                return docs.serve(target, project_dir, args.host, args.port)
        elif args.command == "superset":
            serving_copy = _serving(args, db)
            home = Path(
                args.home
                or os.environ.get(superset_app.HOME_ENV)
                or serving_copy.parent / "superset"
            )
            return superset_app.main_superset(
                serving_copy, home, args.host, args.port, serve_it=not args.no_serve
            )
        elif args.command == "ideal-points" and args.ideal_command == "compare":
            main_compare(db, Path(args.voeten), args.top, args.by_year)
        elif args.command == "ideal-points":
            from unga.ideal_points.warehouse import main_estimate

            main_estimate(db)
        elif args.command == "update":
            extra = _optional_sources(args.extra)
            project_dir = find_project(args.project_dir, os.environ, Path.cwd())
            dbt_args = [a for a in args.dbt_args if a != "--"]
            if update(
                db, cache, project_dir, dbt_args, extra=extra, source=source, environ=os.environ
            ):
                print(f"warehouse built: {db}", file=sys.stderr)
        else:
            project_dir = find_project(args.project_dir, os.environ, Path.cwd())
            dbt_args = [a for a in args.dbt_args if a != "--"]
            build(source, db, cache, project_dir, dbt_args, force_load=args.force)
            print(f"warehouse built: {db}", file=sys.stderr)
    except PublishFailed as err:
        print(f"error: {err}", file=sys.stderr)
        if args.command in BUILDS:
            print(
                f"the warehouse {db} was built, but its serving copy and Parquet files were left "
                "as they were: run `unga publish` to publish it",
                file=sys.stderr,
            )
        return 1
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        if args.command in BUILDS:
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
