{#- The cohesion of each group of states by calendar year (macros/groups.sql): the mean Hix
    index of its roll calls, the share of identical votes over every pair of members, and the
    members' participation. -#}
with

roll_call_cohesion as (

    select * from {{ ref('fct_group_roll_call_cohesion') }}

),

member_votes as (

    select * from {{ ref('int_group_member_votes') }}

),

member_states as (

    select
        member_votes.group_code,
        member_votes.year,
        count(distinct member_votes.country_code) as n_member_states
    from member_votes
    group by member_votes.group_code, member_votes.year

),

yearly as (

    select
        roll_call_cohesion.group_code,
        roll_call_cohesion.year,
        {{ group_cohesion_aggregates('roll_call_cohesion') }}
    from roll_call_cohesion
    group by roll_call_cohesion.group_code, roll_call_cohesion.year

),

final as (

    select
        yearly.group_code,
        cast(yearly.year as integer) as year,
        member_states.n_member_states,
        yearly.n_roll_calls,
        yearly.n_roll_calls_with_index,
        yearly.hix_agreement_index,
        yearly.pairwise_identical_share,
        cast(yearly.n_member_roll_calls as bigint) as n_member_roll_calls,
        cast(yearly.n_votes_cast as bigint) as n_votes_cast,
        yearly.participation_rate
    from yearly
    inner join member_states
        on
            yearly.group_code = member_states.group_code
            and yearly.year = member_states.year

)

select * from final
