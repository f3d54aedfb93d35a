-- A state votes only while it is a UN member: no yes, no or abstention is recorded for a state
-- outside its membership periods (seed country_memberships), before admission or after
-- dissolution. Non-voting entries of non-members are reported by
-- assert_non_members_listed_as_non_voting.
select
    votes.roll_call_id,
    votes.country_code,
    votes.member_state_name,
    votes.vote,
    votes.vote_date
from {{ ref('fct_votes') }} as votes
where not votes.is_member and votes.vote <> 'X'
