"""From the vote columns the warehouse prepares to one position per path and year.

`fit` runs the estimator on columns (path, year, item, vote as 0 no / 1 abstain / 2 yes) and
returns columns again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from unga.ideal_points.data import arrange
from unga.ideal_points.estimate import Estimate, estimate
from unga.ideal_points.settings import Progress, Settings


@dataclass(frozen=True)
class Fit:
    """One row per path and year in which it cast a vote the model uses."""

    path: NDArray[np.str_]
    year: NDArray[np.int64]
    ideal_point: NDArray[np.float64]
    standard_error: NDArray[np.float64]
    n_votes: NDArray[np.int64]
    estimate: Estimate


def fit(
    path: NDArray[np.str_],
    year: NDArray[np.int64],
    item: NDArray[np.int64],
    vote: NDArray[np.int64],
    settings: Settings,
    progress: Progress | None = None,
) -> Fit:
    votes = arrange(path, year, item, vote)
    result = estimate(votes, settings, progress)
    return Fit(
        path=votes.paths[votes.path_of_unit],
        year=votes.year_of_unit,
        ideal_point=result.theta,
        standard_error=result.se,
        n_votes=votes.votes_per_unit(),
        estimate=result,
    )
