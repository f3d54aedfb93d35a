{#- marts.group_members_agreement(group_codes, from_year, to_year): which members break away
    from their group. For each group (codes of marts.dim_groups) and each state that was a
    member in the window, per calendar year and pooled over the window, on the roll calls on
    which it was a member: how often it voted as the plurality of the other members did
    (macros/groups.sql), every measure of macros/cohesion_measures.sql with the member as a and
    the rest of the group as b, its participation, and breakaway_rank_identical_share - 1 for
    the member that voted least often with the rest of its group in the period. -#}
{{ config(
    materialized='table_macro',
    parameters=['group_codes varchar[]', 'from_year integer', 'to_year integer'],
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

-- the members' votes as listed (a member not listed forms no comparison, as in the dyads)
listed_votes as (

    select distinct
        member_votes.roll_call_id,
        member_votes.country_code,
        member_votes.vote
    from member_votes
    where member_votes.vote is not null

),

all_comparisons as (

    {{ group_plurality_comparisons('listed_votes', 'group_memberships', 'counts') }}

),

comparisons as (

    select all_comparisons.*
    from all_comparisons
    where all_comparisons.is_group_member

),

{{ group_agreement_by_period('comparisons', ['group_code', 'country_code'], 'selected_window') }},

-- how often each member took part while a member (macros/participation.sql)
member_participation as (

    select
        member_votes.group_code,
        member_votes.country_code,
        cast(member_votes.year as varchar) as period,
        {{ participation_counts('member_votes.vote') }}
    from member_votes
    group by member_votes.group_code, member_votes.country_code, member_votes.year
    union all
    select
        member_votes.group_code,
        member_votes.country_code,
        selected_window.start_year || '-' || selected_window.end_year as period,
        {{ participation_counts('member_votes.vote') }}
    from member_votes
    cross join selected_window
    group by
        member_votes.group_code,
        member_votes.country_code,
        selected_window.start_year,
        selected_window.end_year

),

measured as (

    select
        agreement_periods.*,
        {{ dyad_derived_counts('agreement_periods') }},
        {{ pooled_cohesion_measures('agreement_periods') }}
    from agreement_periods

),

-- the members ranked by their share of identical votes with the rest, lowest first
ranks as (

    {{ measure_ranks(
        'measured', ['group_code', 'period'], 'country_code', ['identical_share'],
        lowest_first=true, prefix='breakaway_rank_'
    ) }}

),

final as (

    select
        measured.group_code,
        selected_groups.group_name,
        selected_groups.group_position,
        measured.country_code,
        countries.country_name,
        measured.period_type,
        measured.period,
        cast(measured.year as integer) as year,
        cast(measured.n_group_member_roll_calls as bigint) as n_group_member_roll_calls,
        cast(measured.n_plurality_ties as bigint) as n_plurality_ties,
        {{ measured_columns('measured') }},
        cast(member_participation.n_member_roll_calls as bigint) as member_roll_calls,
        cast(member_participation.n_votes_cast as bigint) as member_votes_cast,
        {{ participation_rate(
            'member_participation.n_votes_cast', 'member_participation.n_member_roll_calls'
        ) }} as member_participation,
        ranks.breakaway_rank_identical_share,
        selected_window.start_year,
        selected_window.end_year
    from measured
    cross join selected_window
    inner join selected_groups
        on measured.group_code = selected_groups.group_code
    inner join countries
        on measured.country_code = countries.country_code
    inner join ranks
        on
            measured.group_code = ranks.group_code
            and measured.period = ranks.period
            and measured.country_code = ranks.country_code
    left join member_participation
        on
            measured.group_code = member_participation.group_code
            and measured.country_code = member_participation.country_code
            and measured.period = member_participation.period
    order by
        selected_groups.group_position asc,
        measured.period_type desc,
        measured.year asc,
        ranks.breakaway_rank_identical_share asc,
        measured.country_code asc

)

select * from final
