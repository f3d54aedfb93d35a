with

votes as (

    select * from {{ ref('int_votes_mapped') }}

),

final as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.member_state_name,
        votes.vote,
        votes.vote_date,
        votes.year,
        votes.is_member
    from votes

)

select * from final
