"""Between the warehouse and the estimator: the votes the model uses, read from
int_ideal_point_votes (a DuckDB relation), their fingerprint, and the estimate as a table.

Called by the dbt Python model int_ideal_points_estimated and by `unga ideal-points estimate`
(which times an estimate outside the build).
The estimator (numpy and scipy) is imported only when an estimate is computed.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from unga.errors import UserError
from unga.ideal_points.settings import ESTIMATOR_VERSION, Progress, Settings, fingerprint

# The votes the model uses, in a fixed order (the estimate depends on it bit for bit).
VOTES_SQL = """
    select votes.path, votes.year, votes.item_id, votes.vote_category
    from votes
    where votes.exclusion_reason is null
    order by votes.roll_call_id, votes.country_code
"""

# Every input of the estimate, in a few milliseconds: the number of votes used and the sum of
# a hash of each (with the columns that order them).
DIGEST_SQL = """
    select
        count(*) as n_votes,
        coalesce(sum(cast(hash(
            votes.roll_call_id, votes.country_code, votes.path, votes.year, votes.item_id,
            votes.vote_category
        ) as hugeint)), 0) as hash_sum
    from votes
    where votes.exclusion_reason is null
"""

# The estimate's table: its columns and their types.
DTYPES = {
    "path": "object",
    "year": "int32",
    "ideal_point": "float64",
    "standard_error": "float64",
    "n_votes": "int64",
    "converged": "bool",
    "fingerprint": "object",
    "estimator_version": "object",
}
COLUMNS = tuple(DTYPES)


def votes_fingerprint(votes: duckdb.DuckDBPyRelation, settings: Settings) -> str:
    n_votes, hash_sum = votes.query("votes", DIGEST_SQL).fetchall()[0]
    return fingerprint(f"{n_votes} {hash_sum}", settings)


def estimate_table(
    votes: duckdb.DuckDBPyRelation,
    settings: Settings,
    key: str,
    progress: Progress | None,
) -> pd.DataFrame:
    """The estimate from the votes, one row per path and year, stamped with `key`."""
    from unga.ideal_points.fit import fit

    columns = votes.query("votes", VOTES_SQL).fetchnumpy()
    if len(columns["path"]) == 0:  # no vote with a split: nothing to place, an empty table
        if progress:
            progress("ideal points: no vote on an item whose votes split; no estimate")
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in DTYPES.items()})
    result = fit(
        columns["path"].astype(str),
        columns["year"],
        columns["item_id"],
        columns["vote_category"],
        settings,
        progress,
    )
    return pd.DataFrame(
        {
            "path": result.path,
            "year": result.year,
            "ideal_point": result.ideal_point,
            "standard_error": result.standard_error,
            "n_votes": result.n_votes,
            "converged": result.estimate.converged,
            "fingerprint": key,
            "estimator_version": ESTIMATOR_VERSION,
        }
    ).astype(DTYPES)


def main_estimate(db_path: Path) -> None:
    """`unga ideal-points estimate`: estimate again from the warehouse's prepared votes, say how
    long it took and how much memory, and whether it equals the warehouse's stored estimate."""
    if not db_path.is_file():
        raise UserError(f"no warehouse at {db_path}: run `make build` first")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        try:
            votes = con.sql("select * from intermediate.int_ideal_point_votes")
            stored = con.sql(
                "select path, year, ideal_point, standard_error "
                "from intermediate.int_ideal_points_estimated"
            ).df()
        except duckdb.CatalogException:
            raise UserError(
                f"{db_path} has no prepared ideal-point votes: run `make build` first"
            ) from None
        settings = Settings()
        started = time.monotonic()
        table = estimate_table(votes, settings, votes_fingerprint(votes, settings), _stderr)
        seconds = time.monotonic() - started
    finally:
        con.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    both = table.merge(stored, on=["path", "year"], how="outer", suffixes=("", "_stored"))
    same = len(both) == len(table) == len(stored) and (
        (both["ideal_point"] == both["ideal_point_stored"]).all()
        and (both["standard_error"] == both["standard_error_stored"]).all()
    )
    print(
        f"estimated {len(table):,} state-years in {seconds:.1f} s "
        f"(peak memory of this process {peak_mb:,.0f} MB); "
        + (
            "identical to the warehouse's estimate"
            if same
            else "differs from the warehouse's estimate (votes or settings changed since)"
        )
    )


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
