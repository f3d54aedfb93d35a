"""Load UN General Assembly roll-call votes into a DuckDB warehouse and build it with dbt."""

__version__ = "0.1.0"
