"""Ideal points estimated from int_ideal_point_votes: one row per path and year.

The estimation is unga.ideal_points (numpy and scipy; the model and its settings are in
docs/IDEAL_POINTS.md). Its inputs - the votes used, the model settings and the estimator
version - are fingerprinted; when the fingerprint equals the one stored with the previous
estimate (this table, before dbt replaces it), the previous estimate is returned unchanged
instead of being computed again.
"""

import sys

from unga.ideal_points.settings import Settings
from unga.ideal_points.warehouse import estimate_table, votes_fingerprint


def _previous(session, this):
    exists = session.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [this.schema, this.identifier],
    ).fetchall()[0][0]
    return session.sql(f"select * from {this!r}").df() if exists else None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def model(dbt, session):
    dbt.config(materialized="table")
    votes = dbt.ref("int_ideal_point_votes")
    settings = Settings()
    key = votes_fingerprint(votes, settings)
    previous = _previous(session, dbt.this)
    if previous is not None and len(previous) and (previous["fingerprint"] == key).all():
        _say("ideal points: votes and settings unchanged since the last estimate; reusing it")
        return previous
    return estimate_table(votes, settings, key, progress=_say)
