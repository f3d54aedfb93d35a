"""`unga ideal-points compare`: the warehouse's ideal points against Voeten's published ones.

The comparison is the SQL of sql/compare_voeten.sql, run read-only against the warehouse with
the user's copy of Voeten's file; this module only runs it and prints what it returns.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import duckdb

from unga.errors import UserError

# The quality targets of docs/IDEAL_POINTS.md.
TARGET_POOLED = 0.95
TARGET_MEDIAN_YEAR = 0.95
TARGET_LOWEST_YEAR = 0.80
TARGET_LOWEST_FROM = 1950

REQUIRED_COLUMNS = ("ccode", "session", "nvotes", "idealpoint")


@dataclass(frozen=True)
class Agreement:
    n_voeten_rows: int
    n_matched: int
    n_voeten_unmatched: int
    n_ours_unmatched: int
    n_years: int
    pooled_correlation: float
    median_year_correlation: float
    lowest_year_correlation_from_1950: float
    lowest_year_from_1950: int

    @property
    def meets_targets(self) -> bool:
        return (
            self.pooled_correlation >= TARGET_POOLED
            and self.median_year_correlation >= TARGET_MEDIAN_YEAR
            and self.lowest_year_correlation_from_1950 >= TARGET_LOWEST_YEAR
        )


@dataclass(frozen=True)
class Comparison:
    agreement: Agreement
    by_year: list[tuple[int, int, float]]  # year, states matched, correlation
    disagreements: list[tuple]  # country, year, ours, Voeten's, expected, difference, votes


def _statements() -> str:
    return files("unga.ideal_points").joinpath("sql/compare_voeten.sql").read_text()


def _as_utf8(path: Path, folder: Path) -> Path:
    """Voeten's original file is Latin-1 (copies re-saved as UTF-8 exist too): a Latin-1 file
    is read through a UTF-8 copy in `folder`."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        copy = folder / "voeten-utf8.csv"
        copy.write_text(data.decode("latin-1"), encoding="utf-8")
        return copy
    return path


def _check_header(con: duckdb.DuckDBPyConnection, path: Path, shown: Path) -> None:
    columns = con.execute(
        "select * from read_csv($f, header = true) limit 0", {"f": str(path)}
    ).description
    names = {c[0].lower() for c in columns or []}
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise UserError(
            f"{shown} is not Voeten's ideal-point file: it has no column {', '.join(missing)} "
            "(expected the layout of IdealpointestimatesAll_Apr2020.csv: ccode, session, "
            "NVotes, IdealPoint, ...)"
        )


def compare(db_path: Path, voeten_file: Path, top: int = 15) -> Comparison:
    if not voeten_file.is_file():
        raise UserError(f"Voeten's file {voeten_file} does not exist")
    if not db_path.is_file():
        raise UserError(f"no warehouse at {db_path}: run `make build` first")
    con = duckdb.connect(str(db_path), read_only=True)
    folder = tempfile.TemporaryDirectory(prefix="unga-voeten-")
    try:
        if not con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'fct_ideal_points'"
        ).fetchall()[0][0]:
            raise UserError(f"{db_path} has no marts.fct_ideal_points: run `make build` first")
        readable = _as_utf8(voeten_file, Path(folder.name))
        _check_header(con, readable, voeten_file)
        params = {"voeten_file": str(readable)}
        for statement in con.extract_statements(_statements()):
            wanted = {k: params[k] for k in statement.named_parameters}
            con.execute(statement, wanted) if wanted else con.execute(statement)
        rows = con.execute("select * from ideal_point_agreement").fetchall()
        row = rows[0] if rows else None
        if row is None or not row[1]:
            raise UserError(
                f"no country-session of {voeten_file} matches a state and year of the warehouse"
            )
        agreement = Agreement(*row)
        by_year = con.execute(
            "select year, n_states, correlation from ideal_point_agreement_by_year order by year"
        ).fetchall()
        disagreements = con.execute(
            "select country_code, year, ideal_point, voeten_ideal_point, expected_ideal_point, "
            "difference, n_votes, voeten_n_votes from ideal_point_disagreements "
            "order by abs(difference) desc, country_code, year limit $top",
            {"top": top},
        ).fetchall()
    except duckdb.Error as err:
        first_line = str(err).strip().splitlines()[0]
        raise UserError(f"cannot compare with {voeten_file}: {first_line}") from None
    finally:
        con.close()
        folder.cleanup()
    return Comparison(agreement, by_year, disagreements)


def _verdict(value: float, target: float) -> str:
    return "meets" if value >= target else "BELOW"


def describe(comparison: Comparison, *, by_year: bool = False) -> str:
    a = comparison.agreement
    lines = [
        f"Voeten's file: {a.n_voeten_rows:,} country-sessions; {a.n_matched:,} matched to the "
        f"warehouse's state-years ({a.n_voeten_unmatched:,} of Voeten's and "
        f"{a.n_ours_unmatched:,} of the warehouse's in the same years unmatched), "
        f"{a.n_years} years",
        f"pooled correlation, all country-years: {a.pooled_correlation:.4f} "
        f"({_verdict(a.pooled_correlation, TARGET_POOLED)} the target {TARGET_POOLED})",
        f"median of the yearly correlations: {a.median_year_correlation:.4f} "
        f"({_verdict(a.median_year_correlation, TARGET_MEDIAN_YEAR)} the target "
        f"{TARGET_MEDIAN_YEAR})",
        f"lowest yearly correlation from {TARGET_LOWEST_FROM}: "
        f"{a.lowest_year_correlation_from_1950:.4f} in {a.lowest_year_from_1950} "
        f"({_verdict(a.lowest_year_correlation_from_1950, TARGET_LOWEST_YEAR)} the target "
        f"{TARGET_LOWEST_YEAR})",
    ]
    if by_year:
        lines += ["", "year  states  correlation"]
        lines += [f"{y}  {n:6d}  {r:11.4f}" for y, n, r in comparison.by_year]
    lines += [
        "",
        "largest disagreements (difference from the pooled line of the warehouse's ideal point "
        "on Voeten's):",
        "state  year   ours  Voeten's  expected  difference  votes  Voeten's votes",
    ]
    lines += [
        f"{c:5}  {y}  {o:5.2f}  {v:8.2f}  {e:8.2f}  {d:10.2f}  {n:5d}  {vn:14d}"
        for c, y, o, v, e, d, n, vn in comparison.disagreements
    ]
    return "\n".join(lines)


def main_compare(db_path: Path, voeten_file: Path, top: int, by_year: bool) -> None:
    print(describe(compare(db_path, voeten_file, top), by_year=by_year), file=sys.stdout)
