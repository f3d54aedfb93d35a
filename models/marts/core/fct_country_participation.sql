{#- How often each state took part in the recorded votes, by calendar year: the roll calls held
    while it was a member, the votes it cast (yes, no, abstain) and the rate (macros/
    participation.sql). -#}
with

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

memberships as (

    select * from {{ ref('dim_country_memberships') }}

),

votes as (

    select * from {{ ref('fct_votes') }}

),

member_roll_calls as (

    {{ member_roll_calls('roll_calls', 'memberships') }}

),

counted as (

    select
        member_roll_calls.country_code,
        member_roll_calls.year,
        {{ participation_counts('votes.vote') }},
        count(*) filter (where votes.vote = 'X') as n_non_voting,
        count(*) filter (where votes.vote is null) as n_not_listed
    from member_roll_calls
    left join votes
        on
            member_roll_calls.roll_call_id = votes.roll_call_id
            and member_roll_calls.country_code = votes.country_code
    group by member_roll_calls.country_code, member_roll_calls.year

),

final as (

    select
        counted.country_code,
        cast(counted.year as integer) as year,
        counted.n_member_roll_calls,
        counted.n_votes_cast,
        counted.n_non_voting,
        counted.n_not_listed,
        {{ participation_rate('counted.n_votes_cast', 'counted.n_member_roll_calls') }}
            as participation_rate
    from counted

)

select * from final
