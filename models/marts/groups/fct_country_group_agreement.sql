{#- Every state against every group of states, by calendar year (macros/groups.sql): how often
    it voted as the plurality of the group's other members did, the roll calls on which they
    tied, and the measures of macros/cohesion_measures.sql with the state as a and the group's
    plurality position as b. The state's own participation that year stands beside them. -#}
with

group_memberships as (

    select * from {{ ref('dim_group_memberships') }}

),

roll_call_cohesion as (

    select * from {{ ref('fct_group_roll_call_cohesion') }}

),

votes as (

    select * from {{ ref('fct_votes') }}

),

participation as (

    select * from {{ ref('fct_country_participation') }}

),

state_votes as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.vote
    from votes
    where votes.is_member

),

comparisons as (

    {{ group_plurality_comparisons('state_votes', 'group_memberships', 'roll_call_cohesion') }}

),

counted as (

    select
        comparisons.country_code,
        comparisons.group_code,
        comparisons.year,
        {{ group_agreement_counts('comparisons') }}
    from comparisons
    group by comparisons.country_code, comparisons.group_code, comparisons.year

),

final as (

    select
        counted.country_code,
        counted.group_code,
        cast(counted.year as integer) as year,
        counted.n_group_member_roll_calls,
        counted.n_plurality_ties,
        {%- for column in dyad_count_columns() %}
        counted.{{ column }},
        {%- endfor %}
        {{ dyad_derived_counts('counted') }},
        {{ cohesion_measures('counted', 'counted.year') }},
        participation.participation_rate
    from counted
    left join participation
        on
            counted.country_code = participation.country_code
            and counted.year = participation.year

)

select * from final
