{#- marts.group_cohesion(country_codes, from_year, to_year): the cohesion of any set of states
    taken as a group, per calendar year of the window and pooled over it - the columns of
    marts.fct_group_cohesion (macros/groups.sql), for a group the warehouse does not list, e.g.
    group_cohesion(['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB'], 1992, 2025). Each state counts on the
    roll calls held while it was a UN member. Window figures pool the roll calls: the mean Hix
    index over all of them, the pairwise share and the participation from the summed counts. -#}
{{ config(
    materialized='table_macro',
    parameters=['country_codes varchar[]', 'from_year integer', 'to_year integer'],
) }}

with

votes as (

    select * from {{ analysis_ref('fct_votes') }}

),

roll_calls as (

    select * from {{ analysis_ref('dim_roll_calls') }}

),

countries as (

    select * from {{ analysis_ref('dim_countries') }}

),

un_memberships as (

    select * from {{ analysis_ref('dim_country_memberships') }}

),

members as (

    {{ selected_references(
        'countries', 'country_codes', 'null', role='group member', role_of_focal='none'
    ) }}

),

selected_window as (

    {{ selected_window('roll_calls', 'from_year', 'to_year') }}

),

window_roll_calls as (

    {{ window_roll_calls('roll_calls', 'selected_window') }}

),

-- the states given, members of the group throughout
group_memberships as (

    select
        'custom' as group_code,
        members.country_code,
        cast(null as date) as member_from,
        cast(null as date) as member_to
    from members

),

member_un_memberships as (

    select un_memberships.*
    from un_memberships
    inner join members
        on un_memberships.country_code = members.country_code

),

member_votes as (

    {{ group_member_votes(
        'window_roll_calls', 'member_un_memberships', 'group_memberships', 'votes'
    ) }}

),

counts as (

    {{ group_roll_call_counts('member_votes') }}

),

yearly as (

    select
        'year' as period_type,
        cast(counts.year as varchar) as period,
        counts.year,
        {{ group_cohesion_aggregates('counts') }}
    from counts
    group by counts.year

),

pooled as (

    select
        'window' as period_type,
        selected_window.start_year || '-' || selected_window.end_year as period,
        cast(null as integer) as year,
        {{ group_cohesion_aggregates('counts') }}
    from counts
    cross join selected_window
    group by selected_window.start_year, selected_window.end_year

),

member_states as (

    select
        cast(member_votes.year as varchar) as period,
        count(distinct member_votes.country_code) as n_member_states
    from member_votes
    group by member_votes.year
    union all
    select
        selected_window.start_year || '-' || selected_window.end_year as period,
        count(distinct member_votes.country_code) as n_member_states
    from member_votes
    cross join selected_window
    group by selected_window.start_year, selected_window.end_year

),

periods as (

    select * from yearly
    union all
    select * from pooled

),

final as (

    select
        periods.period_type,
        periods.period,
        cast(periods.year as integer) as year,
        member_states.n_member_states,
        periods.n_roll_calls,
        periods.n_roll_calls_with_index,
        periods.hix_agreement_index,
        periods.pairwise_identical_share,
        cast(periods.n_member_roll_calls as bigint) as n_member_roll_calls,
        cast(periods.n_votes_cast as bigint) as n_votes_cast,
        periods.participation_rate,
        selected_window.start_year,
        selected_window.end_year
    from periods
    cross join selected_window
    inner join member_states
        on periods.period = member_states.period
    order by periods.period_type desc, periods.year asc

)

select * from final
