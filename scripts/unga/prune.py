"""Keep the warehouse to what the dbt project defines.

dbt never drops the relation of a model that was removed or renamed. After a build, every
table, view and table macro in a schema of the project's models that is not a node of the
project (dbt's manifest.json) is dropped, so that publishing copies only what dbt built and
tested. The raw schema (loads and seeds) is never touched.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from unga.errors import UserError

NODE_TYPES = ("model", "seed", "snapshot")
PROTECTED_SCHEMAS = frozenset({"raw", "main"})


def project_relations(manifest_path: Path) -> tuple[set[str], set[tuple[str, str]]]:
    """The schemas of the project's models, and every (schema, name) the project defines."""
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as err:
        raise UserError(f"cannot read dbt's manifest {manifest_path}: {err}") from None
    schemas: set[str] = set()
    relations: set[tuple[str, str]] = set()
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") not in NODE_TYPES:
            continue
        schema = str(node["schema"]).lower()
        relations.add((schema, str(node.get("alias") or node["name"]).lower()))
        if node["resource_type"] == "model":
            schemas.add(schema)
    return schemas - PROTECTED_SCHEMAS, relations


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def prune(db_path: Path, manifest_path: Path) -> list[str]:
    """Drop what the project no longer defines from the schemas of its models; return it."""
    schemas, relations = project_relations(manifest_path)
    if not schemas:
        return []
    con = duckdb.connect(str(db_path))
    dropped: list[str] = []
    try:
        catalog = con.execute("select current_database()").fetchone()[0]
        found = con.execute(
            """
            select 'view', schema_name, view_name from duckdb_views()
            where database_name = $catalog and not internal
            union all
            select 'table', schema_name, table_name from duckdb_tables()
            where database_name = $catalog
            union all
            select distinct 'macro table', schema_name, function_name from duckdb_functions()
            where database_name = $catalog and function_type = 'table_macro' and not internal
            """,
            {"catalog": catalog},
        ).fetchall()
        for kind, schema, name in found:
            if schema.lower() in schemas and (schema.lower(), name.lower()) not in relations:
                con.execute(f"drop {kind} {_quote(schema)}.{_quote(name)}")
                dropped.append(f"{schema}.{name}")
    except duckdb.Error as err:
        raise UserError(f"removing relations the project no longer defines failed: {err}") from None
    finally:
        con.close()
    return sorted(dropped)
