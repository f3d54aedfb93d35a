"""Ideal points estimated from int_ideal_point_votes: one row per path and year.

The estimation itself is unga.ideal_points (numpy and scipy; the model and its settings are in
docs/IDEAL_POINTS.md). The inputs - the votes used, the model settings and the estimator
version - are fingerprinted; when the fingerprint equals the one stored with the previous
estimate (this table, before dbt replaces it), the previous estimate is returned unchanged
instead of being computed again.
"""

import sys

import pandas as pd
from unga.ideal_points.settings import ESTIMATOR_VERSION, Settings, fingerprint

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


def _previous(session, this) -> pd.DataFrame | None:
    exists = session.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [this.schema, this.identifier],
    ).fetchall()[0][0]
    if not exists:
        return None
    return session.sql(f"select * from {this!r}").df()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def model(dbt, session):
    dbt.config(materialized="table")
    votes = dbt.ref("int_ideal_point_votes")
    n_votes, hash_sum = votes.query("votes", DIGEST_SQL).fetchall()[0]
    settings = Settings()
    key = fingerprint(f"{n_votes} {hash_sum}", settings)
    previous = _previous(session, dbt.this)
    if previous is not None and len(previous) and (previous["fingerprint"] == key).all():
        _say("ideal points: votes and settings unchanged since the last estimate; reusing it")
        return previous
    from unga.ideal_points.fit import fit  # numpy and scipy, only when there is work to do

    columns = votes.query("votes", VOTES_SQL).fetchnumpy()
    inputs = (
        columns["path"].astype(str),
        columns["year"],
        columns["item_id"],
        columns["vote_category"],
    )
    result = fit(*inputs, settings, progress=_say)
    return pd.DataFrame(
        {
            "path": result.path,
            "year": result.year.astype("int32"),
            "ideal_point": result.ideal_point,
            "standard_error": result.standard_error,
            "n_votes": result.n_votes.astype("int64"),
            "converged": result.estimate.converged,
            "fingerprint": key,
            "estimator_version": ESTIMATOR_VERSION,
        }
    )
