-- Warns when a reviewed discrepancy no longer occurs (the source was corrected or the roll call
-- is gone), so that the review list does not go stale.
{{ config(severity='warn') }}
select reviewed.*
from {{ ref('reviewed_vote_count_discrepancies') }} as reviewed
left join {{ ref('vote_count_mismatches') }} as audit
    on reviewed.roll_call_id = audit.roll_call_id
where audit.roll_call_id is null or audit.issue <> 'totals disagree'
