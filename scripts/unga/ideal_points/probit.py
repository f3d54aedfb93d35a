"""The ordered probit of one vote: log-probability of a category and its derivatives.

A vote falls in category k when the latent utility difference z = eta + e, e ~ N(0, 1), lies
between the category's lower and upper cutpoints (lower = -inf for the lowest category, upper =
+inf for the highest). With lo = lower - eta and hi = upper - eta the probability is
Phi(hi) - Phi(lo). Everything here is elementwise over arrays of votes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_ndtr

Array = NDArray[np.float64]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def log_interval_probability(lo: Array, hi: Array) -> Array:
    """log(Phi(hi) - Phi(lo)) for lo < hi, accurate in both tails."""
    upper_tail = lo >= 0.0
    # Below the median, Phi(hi) - Phi(lo); above it, the same difference of upper tails.
    big = np.where(upper_tail, log_ndtr(-lo), log_ndtr(hi))
    small = np.where(upper_tail, log_ndtr(-hi), log_ndtr(lo))
    with np.errstate(divide="ignore"):
        return big + np.log1p(-np.exp(small - big))


@dataclass(frozen=True)
class IntervalTerms:
    """log P and the ratios the derivatives are made of, for each vote.

    r_lo = phi(lo) / P, r_hi = phi(hi) / P, s_lo = lo phi(lo) / P, s_hi = hi phi(hi) / P
    (0 where the bound is infinite).
    """

    log_p: Array
    r_lo: Array
    r_hi: Array
    s_lo: Array
    s_hi: Array

    @property
    def d_eta(self) -> Array:
        """d log P / d eta."""
        return self.r_lo - self.r_hi

    @property
    def d2_eta(self) -> Array:
        """d2 log P / d eta2 (never positive: the ordered probit is log-concave)."""
        d = self.d_eta
        return self.s_lo - self.s_hi - d * d


@dataclass(frozen=True)
class Kinds:
    """Votes come sorted by kind: first those in a lowest category (no lower cutpoint), then
    those in a highest one (no upper cutpoint), then those in a middle one (both). Each kind
    needs different work; contiguous blocks keep it to slices."""

    n_lowest: int
    n_highest: int
    n_middle: int

    @property
    def lowest(self) -> slice:
        return slice(0, self.n_lowest)

    @property
    def highest(self) -> slice:
        return slice(self.n_lowest, self.n_lowest + self.n_highest)

    @property
    def middle(self) -> slice:
        start = self.n_lowest + self.n_highest
        return slice(start, start + self.n_middle)


def _density_ratio(x: Array, log_p: Array) -> Array:
    return np.exp(-0.5 * x * x - _LOG_SQRT_2PI - log_p)


def interval_terms(lo: Array, hi: Array, kinds: Kinds) -> IntervalTerms:
    """The terms for every vote; lo is ignored for the lowest kind, hi for the highest."""
    n = len(lo)
    log_p = np.zeros(n)
    r_lo = np.zeros(n)
    r_hi = np.zeros(n)
    s_lo = np.zeros(n)
    s_hi = np.zeros(n)
    k = kinds.lowest
    h = hi[k]
    log_p[k] = log_ndtr(h)
    r_hi[k] = _density_ratio(h, log_p[k])
    s_hi[k] = h * r_hi[k]
    k = kinds.highest
    low = lo[k]
    log_p[k] = log_ndtr(-low)
    r_lo[k] = _density_ratio(low, log_p[k])
    s_lo[k] = low * r_lo[k]
    k = kinds.middle
    low, h = lo[k], hi[k]
    log_p[k] = log_interval_probability(low, h)
    r_lo[k] = _density_ratio(low, log_p[k])
    r_hi[k] = _density_ratio(h, log_p[k])
    s_lo[k] = low * r_lo[k]
    s_hi[k] = h * r_hi[k]
    return IntervalTerms(log_p, r_lo, r_hi, s_lo, s_hi)
