-- Reports (as a warning) how many non-member states the source lists as non-voting, by state
-- and year; they stay in fct_votes with is_member = false.
{{ config(severity='warn') }}
select
    votes.country_code,
    votes.year,
    count(*) as n_rows
from {{ ref('fct_votes') }} as votes
where not votes.is_member
group by votes.country_code, votes.year
