{#- marts.country_group_agreement(focal, group_codes, from_year, to_year): the focal state
    against the plurality of each group (codes of marts.dim_groups, in the order given), per
    calendar year of the window and pooled over it: how often it voted as the group's other
    members did by plurality (macros/groups.sql), the roll calls on which they tied, every
    measure of macros/cohesion_measures.sql with the focal state as a and the group's plurality
    as b, the groups ranked by each measure (1 = closest), and the focal state's participation.
    The yearly rows are those of marts.fct_country_group_agreement; window figures come from
    the counts summed over the years. -#}
{{ config(
    materialized='table_macro',
    parameters=[
        'focal varchar',
        'group_codes varchar[]',
        'from_year integer',
        'to_year integer',
    ],
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

groups as (

    select * from {{ analysis_ref('dim_groups') }}

),

all_group_memberships as (

    select * from {{ analysis_ref('dim_group_memberships') }}

),

un_memberships as (

    select * from {{ analysis_ref('dim_country_memberships') }}

),

focal_country as (

    {{ selected_focal('countries', 'focal') }}

),

selected_window as (

    {{ selected_window('roll_calls', 'from_year', 'to_year') }}

),

window_roll_calls as (

    {{ window_roll_calls('roll_calls', 'selected_window') }}

),

{{ selected_group_votes(
    'group_codes', 'groups', 'all_group_memberships', 'un_memberships', 'votes',
    'window_roll_calls'
) }},

focal_votes as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.vote
    from votes
    inner join focal_country
        on votes.country_code = focal_country.country_code
    inner join window_roll_calls
        on votes.roll_call_id = window_roll_calls.roll_call_id
    where votes.is_member

),

comparisons as (

    {{ group_plurality_comparisons('focal_votes', 'group_memberships', 'counts') }}

),

{{ group_agreement_by_period('comparisons', ['group_code'], 'selected_window') }},

focal_un_memberships as (

    select un_memberships.*
    from un_memberships
    inner join focal_country
        on un_memberships.country_code = focal_country.country_code

),

focal_member_roll_calls as (

    {{ member_roll_calls('window_roll_calls', 'focal_un_memberships') }}

),

-- how often the focal state took part (macros/participation.sql), by year and over the window
focal_participation as (

    select
        cast(focal_member_roll_calls.year as varchar) as period,
        {{ participation_counts('focal_votes.vote') }}
    from focal_member_roll_calls
    left join focal_votes
        on focal_member_roll_calls.roll_call_id = focal_votes.roll_call_id
    group by focal_member_roll_calls.year
    union all
    select
        selected_window.start_year || '-' || selected_window.end_year as period,
        {{ participation_counts('focal_votes.vote') }}
    from focal_member_roll_calls
    cross join selected_window
    left join focal_votes
        on focal_member_roll_calls.roll_call_id = focal_votes.roll_call_id
    group by selected_window.start_year, selected_window.end_year

),

measured as (

    select
        agreement_periods.*,
        {{ dyad_derived_counts('agreement_periods') }},
        {{ pooled_cohesion_measures('agreement_periods') }}
    from agreement_periods

),

-- the groups ranked by each measure within the period (1 = the focal state's closest)
ranks as (

    {{ measure_ranks('measured', ['period'], 'group_code', cohesion_measure_names()) }}

),

final as (

    select
        focal_country.country_code as focal_country,
        focal_country.country_name as focal_country_name,
        measured.group_code,
        selected_groups.group_name,
        selected_groups.group_position,
        measured.period_type,
        measured.period,
        cast(measured.year as integer) as year,
        cast(measured.n_group_member_roll_calls as bigint) as n_group_member_roll_calls,
        cast(measured.n_plurality_ties as bigint) as n_plurality_ties,
        {{ measured_columns('measured') }},
        cast(focal_participation.n_member_roll_calls as bigint) as focal_member_roll_calls,
        cast(focal_participation.n_votes_cast as bigint) as focal_votes_cast,
        {{ participation_rate(
            'focal_participation.n_votes_cast', 'focal_participation.n_member_roll_calls'
        ) }} as focal_participation,
        {%- for measure in cohesion_measure_names() %}
        ranks.rank_{{ measure }},
        {%- endfor %}
        selected_window.start_year,
        selected_window.end_year
    from measured
    cross join focal_country
    cross join selected_window
    inner join selected_groups
        on measured.group_code = selected_groups.group_code
    inner join ranks
        on
            measured.period = ranks.period
            and measured.group_code = ranks.group_code
    left join focal_participation
        on measured.period = focal_participation.period
    order by measured.period_type desc, measured.year asc, selected_groups.group_position asc

)

select * from final
