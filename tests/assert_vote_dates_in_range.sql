-- Every vote falls between the first General Assembly votes (1946) and the load date.
select
    votes.roll_call_id,
    votes.country_code,
    votes.vote_date
from {{ ref('fct_votes') }} as votes
where votes.vote_date < date '1946-01-01' or votes.vote_date > current_date
