-- Reports (as a warning) the roll calls whose record carries no published vote summary: their
-- counts cannot be checked against one.
{{ config(severity='warn') }}
select *
from {{ ref('vote_count_mismatches') }}
where issue = 'no published totals'
