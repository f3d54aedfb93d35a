-- Per roll call, the counted yes / no / abstain / non-voting votes and the number of states
-- listed equal the published totals, unless the discrepancy has been reviewed (seed
-- reviewed_vote_count_discrepancies). Roll calls without published totals are reported by
-- assert_roll_calls_without_published_totals, not failed here.
select *
from {{ ref('vote_count_mismatches') }}
where issue = 'totals disagree' and not is_reviewed
