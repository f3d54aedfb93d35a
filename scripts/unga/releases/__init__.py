"""Finding the newest release of a source where it is published, before downloading it.

Each source with a stable address has a finder: the UN Digital Library's record of the voting
data (`digital_library`, its MARCXML export), Voeten's Dataverse dataset (`dataverse`, its native
API) and the DGACM extracts' folder on GitHub (`github`, its REST API). Each finder reads the
address from an environment variable (the published address by default), lists what is there
and returns the newest `Release`; `model.compare` tells whether it is newer than what the
warehouse holds. A finder that cannot reach its source, or cannot read what it answers, says so
in one sentence and how to pass a file downloaded another way instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from unga.errors import UserError
from unga.releases import dataverse, digital_library, github
from unga.releases.model import Release


@dataclass(frozen=True)
class Finder:
    """Where a kind of source is published and how its newest release is found there."""

    env_var: str
    default: str
    find: Callable[[str, str, datetime], Release]
    instead: str  # how to do without it: a sentence with {address}

    def address(self, environ: Mapping[str, str]) -> str:
        return environ.get(self.env_var) or self.default


# By source kind (unga.loading.registry.KINDS): the kinds that have a stable address.
FINDERS: dict[str, Finder] = {
    "undl": Finder(
        "UNGA_UNDL_RECORD",
        digital_library.DEFAULT_RECORD,
        digital_library.find,
        "download the newest voting-data file from {address} another way and pass it as "
        "UNGA_SOURCE=/path/to/file",
    ),
    "voeten": Finder(
        "UNGA_VOETEN_DATASET",
        dataverse.DEFAULT_DATASET,
        dataverse.find,
        "download UNVotes.csv from {address} another way and pass it as "
        "UNGA_VOETEN_CSV=/path/to/UNVotes.csv",
    ),
    "dgacm": Finder(
        "UNGA_DGACM_LISTING",
        github.DEFAULT_LISTING,
        github.find,
        "download the .json files listed at {address} another way and pass their folder as "
        "UNGA_DGACM_DIR=/path/to/folder",
    ),
}


def instead(kind: str, address: str) -> str:
    """How to load the source of `kind` without reaching `address`."""
    return FINDERS[kind].instead.format(address=address)


def find(kind: str, environ: Mapping[str, str]) -> Release:
    """The newest release of `kind` where it is published; one sentence if it cannot be found."""
    finder = FINDERS[kind]
    address = finder.address(environ)
    try:
        return finder.find(address, kind, datetime.now(UTC))
    except UserError as err:
        raise UserError(f"{err}; {instead(kind, address)}") from None
