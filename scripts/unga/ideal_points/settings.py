"""The model's settings, the estimator's version, and the fingerprint of an estimate's inputs.

Kept apart from the estimator (no numpy or scipy here): checking whether a previous estimate can
be reused costs only this import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass

# Raise it with any change to the estimator that can change its numbers: the fingerprint includes
# it, so the next build estimates again instead of keeping the previous estimate.
ESTIMATOR_VERSION = "1"

# Where the estimator reports its progress (one line per step).
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Settings:
    """The model's priors (docs/IDEAL_POINTS.md explains the choices) and the solver's limits."""

    walk_sd: float = 0.5
    unit_sd: float = 1.5
    vote_precision: float = 0.02
    beta_sd: float = 1.0
    cut_sd: float = 5.0
    anchor: str = "USA"
    tolerance: float = 1e-6  # stop when the log posterior gains less than this, relatively
    max_iterations: int = 200
    cg_iterations: int = 100
    cg_tolerance: float = 1e-3


def fingerprint(votes_digest: str, settings: Settings) -> str:
    """sha256 of a digest of the votes (computed where the votes are), the model settings and
    the estimator version: equal fingerprints mean an estimate can be reused."""
    text = (
        f"estimator {ESTIMATOR_VERSION}; {sorted(asdict(settings).items())}; votes {votes_digest}"
    )
    return hashlib.sha256(text.encode()).hexdigest()
