"""What every load shares, whatever the source: see the modules `warehouse` (connection, raw
schema, load log, row accounting, sha256), `transaction` (the one transaction of a load),
`checks` (the row-check template and the rejected rows) and `csvfile` (DuckDB's CSV reader, with
every record numbered as in the file)."""
