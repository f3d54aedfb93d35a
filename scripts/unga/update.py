"""`unga update`: ask each source whether a newer release exists, and build only if one does.

For the UN Digital Library voting data, and for the optional sources asked for (`--with voeten`,
`--with dgacm`), the newest release is found where it is published (unga.releases) and compared
with the release the warehouse holds (raw.load_log): one line per source says what was found.
Only when a release is newer is it downloaded, loaded and built (unga.pipeline), on a working
copy as every build is; otherwise nothing is downloaded, loaded or built. A source that cannot
be reached stops the update with one sentence, before anything is changed.

UNGA_SOURCE, when set, overrides the record as it does for `unga build`: that file is loaded
and built instead. An optional source asked for while its own variable names a file is an error.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from unga import releases
from unga.errors import UserError
from unga.loading import registry
from unga.pipeline import build
from unga.releases.model import Release, compare

VOTES = "undl"
# The optional sources an update can ask for, by the name `--with` takes.
OPTIONAL = tuple(k for k in releases.FINDERS if k != VOTES)


def check(kind: str, db_path: Path, environ: Mapping[str, str]) -> tuple[Release, bool]:
    """The newest release of `kind`, and whether it is newer than the one held; says which."""
    source_kind = registry.KINDS[kind]
    release = releases.find(kind, environ)
    verdict = compare(release, registry.held(source_kind, db_path))
    then = "downloading it" if verdict.newer else "nothing to do"
    print(
        f"{source_kind.label}: {release.summary()} on {release.record}: {verdict.reason}; {then}",
        file=sys.stderr,
        flush=True,
    )
    return release, verdict.newer


def update(
    db_path: Path,
    cache_dir: Path,
    project_dir: Path,
    dbt_args: Sequence[str] = (),
    *,
    extra: Sequence[str] = (),
    source: str | None = None,
    environ: Mapping[str, str],
) -> bool:
    """Check the sources; download, load and build what is newer. True when a build ran."""
    if source:
        print(
            f"UNGA_SOURCE is set: loading {source} instead of looking for a newer release",
            file=sys.stderr,
        )
        build(source, db_path, cache_dir, project_dir, dbt_args, environ=environ)
        return True
    for kind in extra:
        variable = registry.KINDS[kind].env_var
        if environ.get(variable):
            raise UserError(
                f"{variable} names a file of the {registry.KINDS[kind].label} and --with {kind} "
                "asks for the newest where it is published: unset one of them"
            )
    newer = [
        release
        for release, is_newer in (check(k, db_path, environ) for k in (VOTES, *extra))
        if is_newer
    ]
    if not newer:
        print(
            "the warehouse is up to date: nothing was downloaded, loaded or built", file=sys.stderr
        )
        return False
    build(None, db_path, cache_dir, project_dir, dbt_args, found=newer, environ=environ)
    return True
