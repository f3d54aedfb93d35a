-- The split-vote summary's window rows count exactly the rows of fct_split_votes, pair by pair
-- and way by way.
with

summary as (

    select * from {{ ref('fct_split_vote_summary') }}
    where period_type = 'window'

),

splits as (

    select
        first_country,
        second_country,
        split_type,
        count(*) as n_splits,
        count(*) filter (where focal_alignment = 'with_first') as n_with_first,
        count(*) filter (where focal_alignment = 'absent') as n_absent
    from {{ ref('fct_split_votes') }}
    group by first_country, second_country, split_type

)

select
    coalesce(summary.first_country, splits.first_country) as first_country,
    coalesce(summary.second_country, splits.second_country) as second_country
from summary
full outer join splits
    on
        summary.first_country = splits.first_country
        and summary.second_country = splits.second_country
        and summary.split_type = splits.split_type
where
    summary.n_splits is distinct from splits.n_splits
    or summary.n_with_first is distinct from splits.n_with_first
    or summary.n_absent is distinct from splits.n_absent
