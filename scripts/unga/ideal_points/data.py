"""Votes arranged for estimation: who (state-year) voted what on which item.

Input, one entry per vote: the state's path (a state's positions over the years form one path),
the calendar year, the item (roll calls that repeat the same text share one item) and the vote
as an ordered category, 0 no, 1 abstain, 2 yes. Items are recoded to the categories they
actually received: an item without abstentions is a yes/no item with one cutpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from unga.errors import UserError
from unga.ideal_points.probit import Kinds

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

NO, ABSTAIN, YES = 0, 1, 2


@dataclass(frozen=True)
class Votes:
    """Votes indexed for estimation. Arrays of length n_votes are sorted by kind (see
    probit.Kinds); `order` maps them back to the input."""

    paths: NDArray[np.str_]  # path label of each path index
    path_of_unit: IntArray  # one unit per path and year: its path index
    year_of_unit: IntArray  # ... and its year; units sorted by (path, year)
    unit: IntArray  # unit index of each vote
    item: IntArray  # item index of each vote, 0..n_items-1
    item_labels: IntArray  # item id of each item index
    n_cutpoints: IntArray  # 1 (two categories received) or 2 (yes, abstain and no)
    lower: IntArray  # cutpoint (0 or 1) below the vote's category, -1 for none
    upper: IntArray  # cutpoint (0 or 1) above the vote's category, -1 for none
    category: IntArray  # the vote recoded to the item's categories, 0..n_cutpoints
    kinds: Kinds  # votes are sorted: lowest categories, highest, middle ones
    order: IntArray  # position in the input of each vote

    @cached_property
    def lower_index(self) -> IntArray:
        """Index of the lower cutpoint in the items' (n_items, 2) cutpoints, flattened."""
        return self.item * 2 + np.maximum(self.lower, 0)

    @cached_property
    def upper_index(self) -> IntArray:
        return self.item * 2 + np.maximum(self.upper, 0)

    @property
    def n_units(self) -> int:
        return len(self.path_of_unit)

    @property
    def n_items(self) -> int:
        return len(self.item_labels)

    @property
    def n_votes(self) -> int:
        return len(self.unit)

    def votes_per_unit(self) -> IntArray:
        return np.bincount(self.unit, minlength=self.n_units)


def arrange(path: NDArray[np.str_], year: IntArray, item_id: IntArray, vote: IntArray) -> Votes:
    """Index the votes; a vote outside 0..2 or arrays of different lengths are errors."""
    n = len(path)
    if not (len(year) == len(item_id) == len(vote) == n):
        raise UserError("the vote arrays passed to the estimator differ in length")
    if n == 0:
        raise UserError("no votes to estimate ideal points from")
    vote = np.asarray(vote, dtype=np.int64)
    if vote.min() < NO or vote.max() > YES:
        raise UserError("a vote passed to the estimator is not 0 (no), 1 (abstain) or 2 (yes)")
    paths, path_index = np.unique(np.asarray(path, dtype=str), return_inverse=True)
    year = np.asarray(year, dtype=np.int64)
    unit_key = path_index.astype(np.int64) * 10_000 + year
    unit_keys, unit = np.unique(unit_key, return_inverse=True)
    item_labels, item = np.unique(np.asarray(item_id, dtype=np.int64), return_inverse=True)

    # Which categories each item received, and the vote's rank among them.
    received = np.zeros((len(item_labels), 3), dtype=bool)
    received[item, vote] = True
    rank = np.cumsum(received, axis=1) - 1  # rank of each category among those received
    n_categories = received.sum(axis=1)
    category = rank[item, vote]
    n_cut = n_categories[item] - 1
    lower = np.where(category > 0, category - 1, -1)
    upper = np.where(category < n_cut, category, -1)
    kind = np.where(lower < 0, 0, np.where(upper < 0, 1, 2))
    order = np.argsort(kind, kind="stable")
    unit, item, lower, upper, category = (a[order] for a in (unit, item, lower, upper, category))
    counts = np.bincount(kind, minlength=3)
    return Votes(
        paths=paths,
        path_of_unit=(unit_keys // 10_000).astype(np.int64),
        year_of_unit=(unit_keys % 10_000).astype(np.int64),
        unit=unit.astype(np.int64),
        item=item.astype(np.int64),
        item_labels=item_labels,
        n_cutpoints=(n_categories - 1).astype(np.int64),
        lower=lower.astype(np.int64),
        upper=upper.astype(np.int64),
        category=category.astype(np.int64),
        kinds=Kinds(int(counts[0]), int(counts[1]), int(counts[2])),
        order=order.astype(np.int64),
    )
