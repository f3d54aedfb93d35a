"""Loading the sources into the `raw` schema of the warehouse.

`core` holds what every load shares: the one transaction, the load log, the sha256 that makes a
second load of the same files change nothing, the row checks and the rejected rows, the row
accounting, and DuckDB's CSV reader with exact row numbers. Each source kind has its own module
(`undl`, `unvotes`, `voeten`, `dgacm`) that imports only the core; `registry` imports the kinds
and is what the command line and the build use.
"""
