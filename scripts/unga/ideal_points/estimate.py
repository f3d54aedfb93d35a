"""Maximum a posteriori ideal points: a dynamic one-dimensional ordered probit.

The model (after Bailey, Strezhnev and Voeten 2017): state i in year t has position theta_it;
on item j its vote is the category of z = beta_j theta_it + e, e ~ N(0, 1), between the item's
cutpoints (no < c_j1 <= abstain < c_j2 <= yes). Priors, all independent normals:
theta_it ~ N(0, 1 / (1 / unit_sd^2 + vote_precision n_it)) with n_it the state's votes that year;
theta_it - theta_is ~ N(0, walk_sd^2 (t - s)) between successive years s < t of a path (a gap
adds the variance of its years); beta_j ~ N(0, beta_sd^2); c_jk ~ N(0, cut_sd^2).

The posterior mode is found by Gauss-Newton steps on all parameters at once: the curvature of
each vote's log-probability in its two bounds (concave: the ordered probit is log-concave) is
carried to the parameters through the bounds' derivatives, the prior adds its precision, and the
linear system is solved by conjugate gradients, preconditioned by its exact diagonal blocks
(each path's positions: tridiagonal; each item: two or three unknowns). A backtracking line
search keeps every step uphill. The sign is fixed by the start (each year's first principal
component of the votes, oriented so that the anchor state is positive); at the end the
positions are standardised to mean 0 and standard deviation 1 over all state-years.

All sums over votes use np.bincount and sums of vectors np.sum, which add in a fixed order:
the same votes give the same numbers bit for bit, whatever the number of threads.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import solveh_banded
from scipy.special import ndtri

from unga.errors import UserError
from unga.ideal_points.data import Votes
from unga.ideal_points.probit import IntervalTerms, interval_terms
from unga.ideal_points.settings import Progress, Settings

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Estimate:
    theta: FloatArray  # standardised position of each unit (path-year)
    se: FloatArray  # its standard error (Laplace, items held at their estimates)
    beta: FloatArray  # discrimination of each item (on the standardised scale)
    cutpoints: FloatArray  # (n_items, 2); the second is unused for two-category items
    iterations: int
    converged: bool
    log_posterior: float


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- parameters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Params:
    theta: FloatArray
    beta: FloatArray
    cut: FloatArray  # (n_items, 2)

    def step(self, d: _Params, scale: float) -> _Params:
        return _Params(
            self.theta + scale * d.theta, self.beta + scale * d.beta, self.cut + scale * d.cut
        )

    def dot(self, other: _Params) -> float:
        return float(
            np.sum(self.theta * other.theta)
            + np.sum(self.beta * other.beta)
            + np.sum(self.cut * other.cut)
        )


# --- the prior -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prior:
    """The prior as precisions: positions (tridiagonal Q over units sorted by path and year:
    diag, off), discriminations and cutpoints (scalars; unused cutpoints carry none)."""

    diag: FloatArray
    off: FloatArray  # Q[u, u+1], 0 between paths
    beta: float
    cut: FloatArray  # (n_items, 2)

    @classmethod
    def build(cls, votes: Votes, settings: Settings) -> _Prior:
        same_path = votes.path_of_unit[1:] == votes.path_of_unit[:-1]
        gap = np.where(same_path, np.diff(votes.year_of_unit), 1).astype(np.float64)
        link = np.where(same_path, 1.0 / (settings.walk_sd**2 * gap), 0.0)
        diag = 1.0 / settings.unit_sd**2 + settings.vote_precision * votes.votes_per_unit()
        diag = diag.astype(np.float64)
        diag[:-1] += link
        diag[1:] += link
        used = np.arange(2)[None, :] < votes.n_cutpoints[:, None]
        return cls(diag, -link, 1.0 / settings.beta_sd**2, used / settings.cut_sd**2)

    def times(self, p: _Params) -> _Params:
        q = self.diag * p.theta
        q[:-1] += self.off * p.theta[1:]
        q[1:] += self.off * p.theta[:-1]
        return _Params(q, self.beta * p.beta, self.cut * p.cut)

    def log_density(self, p: _Params) -> float:
        return -0.5 * self.times(p).dot(p)


# --- the likelihood and its derivatives --------------------------------------------------------


def _terms(votes: Votes, p: _Params) -> IntervalTerms:
    eta = p.beta[votes.item] * p.theta[votes.unit]
    flat = p.cut.ravel()
    return interval_terms(flat[votes.lower_index] - eta, flat[votes.upper_index] - eta, votes.kinds)


def _log_posterior(votes: Votes, prior: _Prior, p: _Params, terms: IntervalTerms) -> float:
    return float(np.sum(terms.log_p)) + prior.log_density(p)


def _gradient(votes: Votes, prior: _Prior, p: _Params, terms: IntervalTerms) -> _Params:
    d = terms.d_eta
    n_flat = 2 * votes.n_items
    cut = np.bincount(votes.upper_index, weights=terms.r_hi, minlength=n_flat) - np.bincount(
        votes.lower_index, weights=terms.r_lo, minlength=n_flat
    )
    lik = _Params(
        np.bincount(votes.unit, weights=p.beta[votes.item] * d, minlength=votes.n_units),
        np.bincount(votes.item, weights=p.theta[votes.unit] * d, minlength=votes.n_items),
        cut.reshape(-1, 2) * (prior.cut > 0),
    )
    return lik.step(prior.times(p), -1.0)


@dataclass(frozen=True)
class _Curvature:
    """Minus the Hessian of each vote's log-probability in its (lower, upper) bound:
    [[a, b], [b, c]], positive semi-definite."""

    a: FloatArray
    b: FloatArray
    c: FloatArray

    @classmethod
    def of(cls, t: IntervalTerms) -> _Curvature:
        return cls(t.r_lo**2 - t.s_lo, -t.r_lo * t.r_hi, t.s_hi + t.r_hi**2)


class _System:
    """The Gauss-Newton matrix (votes' curvature through the bounds, plus the prior precision)
    at the current parameters, as products with a vector, and its block-diagonal part."""

    def __init__(self, votes: Votes, prior: _Prior, p: _Params, terms: IntervalTerms):
        self.votes, self.prior, self.p = votes, prior, p
        self.k = _Curvature.of(terms)
        self.beta_v = p.beta[votes.item]
        self.theta_v = p.theta[votes.unit]
        self._factor_blocks()

    def times(self, v: _Params) -> _Params:
        votes, k = self.votes, self.k
        flat = v.cut.ravel()
        common = -self.beta_v * v.theta[votes.unit] - self.theta_v * v.beta[votes.item]
        d_lo = flat[votes.lower_index] + common
        d_hi = flat[votes.upper_index] + common
        w_lo = k.a * d_lo + k.b * d_hi
        w_hi = k.b * d_lo + k.c * d_hi
        both = w_lo + w_hi
        n_flat = 2 * votes.n_items
        cut = np.bincount(votes.lower_index, weights=w_lo, minlength=n_flat) + np.bincount(
            votes.upper_index, weights=w_hi, minlength=n_flat
        )
        out = _Params(
            np.bincount(votes.unit, weights=-self.beta_v * both, minlength=votes.n_units),
            np.bincount(votes.item, weights=-self.theta_v * both, minlength=votes.n_items),
            cut.reshape(-1, 2) * (self.prior.cut > 0),
        )
        return out.step(self.prior.times(v), 1.0)

    def _factor_blocks(self) -> None:
        votes, k, prior = self.votes, self.k, self.prior
        total = k.a + 2 * k.b + k.c
        info = np.bincount(votes.unit, weights=self.beta_v**2 * total, minlength=votes.n_units)
        self.banded = np.zeros((2, votes.n_units))
        self.banded[0, 1:] = prior.off
        self.banded[1] = info + prior.diag

        def by_item(w: FloatArray) -> FloatArray:
            return np.bincount(votes.item, weights=w, minlength=votes.n_items)

        block = np.zeros((votes.n_items, 3, 3))
        block[:, 0, 0] = by_item(self.theta_v**2 * total) + prior.beta
        for j in (0, 1):
            as_lo = votes.lower == j
            as_hi = votes.upper == j
            cross = np.where(as_lo, k.a + k.b, 0.0) + np.where(as_hi, k.b + k.c, 0.0)
            block[:, 0, 1 + j] = block[:, 1 + j, 0] = by_item(-self.theta_v * cross)
            own = np.where(as_lo, k.a, 0.0) + np.where(as_hi, k.c, 0.0)
            block[:, 1 + j, 1 + j] = by_item(own) + prior.cut[:, j]
        middle = (votes.lower == 0) & (votes.upper == 1)
        block[:, 1, 2] = block[:, 2, 1] = by_item(np.where(middle, k.b, 0.0))
        unused = prior.cut[:, 1] == 0  # two-category items: the second cutpoint is fixed
        block[unused, 2, :] = 0.0
        block[unused, :, 2] = 0.0
        block[unused, 2, 2] = 1.0
        self.block_inverse = np.linalg.inv(block)

    def precondition(self, r: _Params) -> _Params:
        theta = solveh_banded(self.banded, r.theta, check_finite=False)
        stacked = np.concatenate([r.beta[:, None], r.cut], axis=1)
        solved = np.einsum("nij,nj->ni", self.block_inverse, stacked)
        return _Params(theta, solved[:, 0], solved[:, 1:] * (self.prior.cut > 0))


def _conjugate_gradients(system: _System, g: _Params, settings: Settings) -> _Params:
    """Approximately solve system x = g."""
    x = _Params(np.zeros_like(g.theta), np.zeros_like(g.beta), np.zeros_like(g.cut))
    r = g
    z = system.precondition(r)
    d = z
    rz = r.dot(z)
    target = settings.cg_tolerance**2 * g.dot(g)
    for _ in range(settings.cg_iterations):
        q = system.times(d)
        alpha = rz / d.dot(q)
        x = x.step(d, alpha)
        r = r.step(q, -alpha)
        if r.dot(r) <= target:
            break
        z = system.precondition(r)
        rz_new = r.dot(z)
        d = z.step(d, rz_new / rz)
        rz = rz_new
    return x


def _keep_cutpoints_ordered(votes: Votes, p: _Params, d: _Params) -> _Params:
    """Shorten each item's step so that its cutpoints stay in order (the gap at least halves)."""
    three = votes.n_cutpoints == 2
    gap = p.cut[:, 1] - p.cut[:, 0]
    d_gap = d.cut[:, 1] - d.cut[:, 0]
    limit = np.where(three & (d_gap < -0.5 * gap), -0.5 * gap / np.minimum(d_gap, -1e-300), 1.0)
    return _Params(d.theta, d.beta * limit, d.cut * limit[:, None])


# --- starting values -------------------------------------------------------------------------


def _first_component(centred: FloatArray) -> FloatArray:
    """Scores on the first principal component, by power iteration: elementwise sums only, so
    the start does not depend on how a linear-algebra library splits its work."""
    v = np.ones(centred.shape[1]) / np.sqrt(centred.shape[1])
    u = np.zeros(centred.shape[0])
    for _ in range(200):
        u = (centred * v[None, :]).sum(axis=1)
        v = (centred * u[:, None]).sum(axis=0)
        norm = np.sqrt(np.sum(v * v))
        if norm == 0:
            break
        v = v / norm
    return u


def _start_positions(votes: Votes, settings: Settings) -> FloatArray:
    """Each year's first principal component of the votes, oriented so the anchor is positive."""
    theta = np.zeros(votes.n_units)
    year_of_vote = votes.year_of_unit[votes.unit]
    anchor = int(np.flatnonzero(votes.paths == settings.anchor)[0])
    value = votes.category / np.maximum(votes.n_cutpoints[votes.item], 1)
    for year in np.unique(votes.year_of_unit):
        in_year = np.flatnonzero(year_of_vote == year)
        units, row = np.unique(votes.unit[in_year], return_inverse=True)
        items, col = np.unique(votes.item[in_year], return_inverse=True)
        matrix = np.zeros((len(units), len(items)))
        seen = np.zeros_like(matrix, dtype=bool)
        matrix[row, col] = value[in_year]
        seen[row, col] = True
        means = matrix.sum(axis=0) / np.maximum(seen.sum(axis=0), 1)
        score = _first_component(np.where(seen, matrix - means, 0.0))
        score = (score - score.mean()) / (score.std() or 1.0)
        at_anchor = np.flatnonzero(votes.path_of_unit[units] == anchor)
        if at_anchor.size and score[at_anchor[0]] < 0:
            score = -score
        theta[units] = score
    return theta


def _start_items(votes: Votes, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
    """beta from the regression of the votes on the starting positions; cutpoints from each
    item's shares of votes."""
    counts = np.zeros((votes.n_items, 3))
    np.add.at(counts, (votes.item, votes.category), 1.0)
    shares = np.cumsum(counts, axis=1) / counts.sum(axis=1, keepdims=True)
    cut = ndtri(np.clip(shares[:, :2], 0.01, 0.99))
    cut[:, 1] = np.where(votes.n_cutpoints == 2, np.maximum(cut[:, 1], cut[:, 0] + 0.1), 0.0)
    x = theta[votes.unit]
    y = votes.category / np.maximum(votes.n_cutpoints[votes.item], 1)
    n = np.bincount(votes.item, minlength=votes.n_items)
    sx = np.bincount(votes.item, weights=x, minlength=votes.n_items)
    sy = np.bincount(votes.item, weights=y, minlength=votes.n_items)
    sxx = np.bincount(votes.item, weights=x * x, minlength=votes.n_items)
    sxy = np.bincount(votes.item, weights=x * y, minlength=votes.n_items)
    var = sxx / n - (sx / n) ** 2
    slope = np.where(var > 1e-9, (sxy / n - sx * sy / n**2) / np.maximum(var, 1e-9), 0.0)
    beta = np.clip(4.0 * slope, -3.0, 3.0)  # a 0..1 vote scale against probit units
    cut = cut + (beta * sx / n)[:, None] * (np.arange(2)[None, :] < votes.n_cutpoints[:, None])
    return beta, cut


# --- the fit ---------------------------------------------------------------------------------


def tridiagonal_inverse_diagonal(diag: FloatArray, off: FloatArray) -> FloatArray:
    """The diagonal of the inverse of a symmetric positive-definite tridiagonal matrix (diag,
    off = its first superdiagonal): 1 / (f_i + g_i - diag_i) with f and g the pivots of its
    elimination from the top and from the bottom. Elementwise, in a fixed order."""
    n = len(diag)
    f = diag.copy()
    g = diag.copy()
    for i in range(1, n):
        f[i] = diag[i] - off[i - 1] ** 2 / f[i - 1]
    for i in range(n - 2, -1, -1):
        g[i] = diag[i] - off[i] ** 2 / g[i + 1]
    return 1.0 / (f + g - diag)


def estimate(votes: Votes, settings: Settings, progress: Progress | None = _stderr) -> Estimate:
    """The posterior mode of positions and items, with standard errors of the positions."""
    started = time.monotonic()
    say = progress or (lambda _m: None)
    if not np.any(votes.paths == settings.anchor):
        raise UserError(
            f"the anchor state {settings.anchor} cast no vote: its sign cannot be fixed"
        )
    prior = _Prior.build(votes, settings)
    theta = _start_positions(votes, settings)
    p = _Params(theta, *_start_items(votes, theta))
    terms = _terms(votes, p)
    value = _log_posterior(votes, prior, p, terms)
    converged = False
    iteration = 0
    for iteration in range(1, settings.max_iterations + 1):
        system = _System(votes, prior, p, terms)
        g = _gradient(votes, prior, p, terms)
        d = _keep_cutpoints_ordered(votes, p, _conjugate_gradients(system, g, settings))
        slope = g.dot(d)
        scale = 1.0
        while True:
            candidate = p.step(d, scale)
            new_terms = _terms(votes, candidate)
            new_value = _log_posterior(votes, prior, candidate, new_terms)
            if new_value >= value + 1e-4 * scale * slope or scale < 1e-8:
                break
            scale *= 0.5
        gain = new_value - value
        if gain < 0:  # no uphill step left
            converged = True
            break
        p, terms, value = candidate, new_terms, new_value
        say(
            f"ideal points: step {iteration}, log posterior {value:,.2f} "
            f"(step length {scale:g}, {time.monotonic() - started:.1f} s)"
        )
        if gain <= settings.tolerance * abs(value):
            converged = True
            break
    system = _System(votes, prior, p, terms)
    # Laplace: the curvature in each path's positions, items held at their estimates
    se = np.sqrt(tridiagonal_inverse_diagonal(system.banded[1], system.banded[0, 1:]))
    mean, sd = p.theta.mean(), p.theta.std()
    theta, beta = (p.theta - mean) / sd, p.beta * sd
    cut = p.cut - (p.beta * mean)[:, None] * (prior.cut > 0)
    anchor = votes.path_of_unit == np.flatnonzero(votes.paths == settings.anchor)[0]
    if theta[anchor].mean() < 0:  # (theta, beta) and (-theta, -beta) fit the votes equally
        theta, beta = -theta, -beta
    say(
        f"ideal points: {'converged' if converged else 'stopped'} after {iteration} steps "
        f"in {time.monotonic() - started:.1f} s"
    )
    return Estimate(theta, se / sd, beta, cut, iteration, converged, value)
