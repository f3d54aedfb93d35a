{#- Each roll call with the totals counted from its member-state votes beside the published
    ones, and whether they agree. -#}
with

roll_calls as (

    select * from {{ ref('stg_undl__roll_calls') }}

),

votes as (

    select * from {{ ref('int_votes_mapped') }}

),

counted as (

    select
        votes.roll_call_id,
        count(*) filter (where votes.vote = 'Y') as counted_yes,
        count(*) filter (where votes.vote = 'N') as counted_no,
        count(*) filter (where votes.vote = 'A') as counted_abstain,
        count(*) filter (where votes.vote = 'X') as counted_non_voting,
        count(*) as counted_members
    from votes
    group by votes.roll_call_id

),

final as (

    select
        roll_calls.*,
        cast(counted.counted_yes as integer) as counted_yes,
        cast(counted.counted_no as integer) as counted_no,
        cast(counted.counted_abstain as integer) as counted_abstain,
        cast(counted.counted_non_voting as integer) as counted_non_voting,
        cast(counted.counted_members as integer) as counted_members,
        (
            roll_calls.published_yes is not null
            and roll_calls.published_no is not null
            and roll_calls.published_abstain is not null
            and roll_calls.published_non_voting is not null
            and roll_calls.published_members is not null
        ) as has_published_totals,
        -- null when a published total is missing (comparisons with null are null)
        (
            roll_calls.published_yes = counted.counted_yes
            and roll_calls.published_no = counted.counted_no
            and roll_calls.published_abstain = counted.counted_abstain
            and roll_calls.published_non_voting = counted.counted_non_voting
            and roll_calls.published_members = counted.counted_members
        ) as totals_match
    from roll_calls
    inner join counted
        on roll_calls.roll_call_id = counted.roll_call_id

)

select * from final
