"""Superset's settings for `make superset` (read by Superset through SUPERSET_CONFIG_PATH).

Everything Superset keeps - its metadata database and its secret key - lives in the folder
named by UNGA_SUPERSET_HOME, which `unga superset` sets (warehouse/superset/ by default). The
warehouse's marts are reached through the database connection imported from superset/assets/:
the published serving copy, opened read-only.
"""

import os
from pathlib import Path

_HOME = Path(os.environ["UNGA_SUPERSET_HOME"])

SECRET_KEY = (_HOME / "secret_key").read_text().strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}"
# No example data.
SUPERSET_LOAD_EXAMPLES = False
