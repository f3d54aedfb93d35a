{#- marts.focal_cohesion(focal, reference_codes, from_year, to_year): the voting cohesion of one
    state (focal) with each of the reference states, per calendar year and pooled over the
    window, every measure of macros/cohesion_measures.sql, the references ranked by each; over
    all roll calls (topic_code 'all') and by topic (marts.dim_topics, with the grouping
    foreign_policy). In the counts, a is the focal state and b the reference. Years are those
    of the window that have roll calls; window figures add up the yearly counts and compute the
    measures from the sums (the State Department coincidence pools each year's numerator and
    denominator under that year's rule). Only roll calls on which both were members count.
    Beside them, how often each took part, and both states' ideal points of the year
    (marts.fct_ideal_points, all roll calls whatever the topic) and their distance; on window
    rows the means over the window's years. -#}
{{ config(
    materialized='table_macro',
    parameters=[
        'focal varchar',
        'reference_codes varchar[]',
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

roll_call_topics as (

    select * from {{ analysis_ref('dim_roll_call_topics') }}

),

topics as (

    select * from {{ analysis_ref('dim_topics') }}

),

countries as (

    select * from {{ analysis_ref('dim_countries') }}

),

memberships as (

    select * from {{ analysis_ref('dim_country_memberships') }}

),

ideal_points as (

    select * from {{ analysis_ref('fct_ideal_points') }}

),

focal_country as (

    {{ selected_focal('countries', 'focal') }}

),

reference_countries as (

    {{ selected_references('countries', 'reference_codes', 'focal') }}

),

selected_window as (

    {{ selected_window('roll_calls', 'from_year', 'to_year') }}

),

window_roll_calls as (

    {{ window_roll_calls('roll_calls', 'selected_window') }}

),

-- every roll call under 'all', and under each of its topics
roll_call_topic_list as (

    select
        window_roll_calls.roll_call_id,
        window_roll_calls.year,
        'all' as topic_code
    from window_roll_calls
    union all
    select
        window_roll_calls.roll_call_id,
        window_roll_calls.year,
        roll_call_topics.topic_code
    from window_roll_calls
    inner join roll_call_topics
        on window_roll_calls.roll_call_id = roll_call_topics.roll_call_id

),

topic_list as (

    select
        'all' as topic_code,
        'All roll calls' as topic_name
    union all
    select
        topics.topic_code,
        topics.topic_name
    from topics

),

years as (

    select distinct window_roll_calls.year
    from window_roll_calls

),

roll_calls_per_year as (

    select
        roll_call_topic_list.topic_code,
        roll_call_topic_list.year,
        count(*) as n_roll_calls_in_period
    from roll_call_topic_list
    group by roll_call_topic_list.topic_code, roll_call_topic_list.year

),

-- the votes of the focal state and the references in the window, while members
compared_votes as (

    {{ selected_votes('votes', ['focal_country', 'reference_countries']) }}

),

focal_votes as (

    select
        compared_votes.roll_call_id,
        compared_votes.vote
    from compared_votes
    inner join focal_country
        on compared_votes.country_code = focal_country.country_code

),

reference_votes as (

    select
        compared_votes.roll_call_id,
        compared_votes.country_code,
        compared_votes.vote
    from compared_votes
    inner join reference_countries
        on compared_votes.country_code = reference_countries.country_code

),

-- one row per roll call and reference on which the focal state and the reference were both
-- members and listed
vote_pairs as (

    select
        focal_votes.roll_call_id,
        reference_votes.country_code as reference_country,
        focal_votes.vote as focal_vote,
        reference_votes.vote as reference_vote
    from focal_votes
    inner join reference_votes
        on focal_votes.roll_call_id = reference_votes.roll_call_id

),

compared_memberships as (

    select memberships.*
    from memberships
    where
        memberships.country_code in (select focal_country.country_code from focal_country)
        or memberships.country_code in (
            select reference_countries.country_code from reference_countries
        )

),

compared_member_roll_calls as (

    {{ member_roll_calls('window_roll_calls', 'compared_memberships') }}

),

-- how often the focal state and each reference took part (macros/participation.sql)
participation as (

    select
        roll_call_topic_list.topic_code,
        compared_member_roll_calls.year,
        compared_member_roll_calls.country_code,
        {{ participation_counts('compared_votes.vote') }}
    from compared_member_roll_calls
    inner join roll_call_topic_list
        on compared_member_roll_calls.roll_call_id = roll_call_topic_list.roll_call_id
    left join compared_votes
        on
            compared_member_roll_calls.roll_call_id = compared_votes.roll_call_id
            and compared_member_roll_calls.country_code = compared_votes.country_code
    group by
        roll_call_topic_list.topic_code,
        compared_member_roll_calls.year,
        compared_member_roll_calls.country_code

),

counted as (

    select
        roll_call_topic_list.topic_code,
        roll_call_topic_list.year,
        vote_pairs.reference_country,
        {{ dyad_count_aggregates('vote_pairs.focal_vote', 'vote_pairs.reference_vote') }}
    from vote_pairs
    inner join roll_call_topic_list
        on vote_pairs.roll_call_id = roll_call_topic_list.roll_call_id
    group by
        roll_call_topic_list.topic_code,
        roll_call_topic_list.year,
        vote_pairs.reference_country

),

yearly as (

    select
        topic_list.topic_code,
        topic_list.topic_name,
        'year' as period_type,
        cast(years.year as varchar) as period,
        years.year,
        reference_countries.country_code as reference_country,
        reference_countries.country_name as reference_country_name,
        reference_countries.reference_position,
        coalesce(roll_calls_per_year.n_roll_calls_in_period, 0) as n_roll_calls_in_period,
        {%- for column in dyad_count_columns() %}
        coalesce(counted.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        {{ state_dept_numerator('counted', 'years.year') }} as state_dept_numerator,
        {{ state_dept_denominator('counted', 'years.year') }} as state_dept_denominator,
        coalesce(focal_participation.n_member_roll_calls, 0) as focal_member_roll_calls,
        coalesce(focal_participation.n_votes_cast, 0) as focal_votes_cast,
        coalesce(reference_participation.n_member_roll_calls, 0) as reference_member_roll_calls,
        coalesce(reference_participation.n_votes_cast, 0) as reference_votes_cast,
        focal_ideal.ideal_point as focal_ideal_point,
        reference_ideal.ideal_point as reference_ideal_point,
        abs(focal_ideal.ideal_point - reference_ideal.ideal_point) as ideal_point_distance
    from years
    cross join reference_countries
    cross join topic_list
    cross join focal_country
    left join participation as focal_participation
        on
            topic_list.topic_code = focal_participation.topic_code
            and years.year = focal_participation.year
            and focal_country.country_code = focal_participation.country_code
    left join participation as reference_participation
        on
            topic_list.topic_code = reference_participation.topic_code
            and years.year = reference_participation.year
            and reference_countries.country_code = reference_participation.country_code
    left join ideal_points as focal_ideal
        on
            focal_country.country_code = focal_ideal.country_code
            and years.year = focal_ideal.year
    left join ideal_points as reference_ideal
        on
            reference_countries.country_code = reference_ideal.country_code
            and years.year = reference_ideal.year
    left join counted
        on
            topic_list.topic_code = counted.topic_code
            and years.year = counted.year
            and reference_countries.country_code = counted.reference_country
    left join roll_calls_per_year
        on
            topic_list.topic_code = roll_calls_per_year.topic_code
            and years.year = roll_calls_per_year.year

),

pooled as (

    select
        yearly.topic_code,
        yearly.topic_name,
        'window' as period_type,
        selected_window.start_year || '-' || selected_window.end_year as period,
        cast(null as integer) as year,
        yearly.reference_country,
        yearly.reference_country_name,
        yearly.reference_position,
        sum(yearly.n_roll_calls_in_period) as n_roll_calls_in_period,
        {%- for column in dyad_count_columns() %}
        sum(yearly.{{ column }}) as {{ column }},
        {%- endfor %}
        sum(yearly.state_dept_numerator) as state_dept_numerator,
        sum(yearly.state_dept_denominator) as state_dept_denominator,
        sum(yearly.focal_member_roll_calls) as focal_member_roll_calls,
        sum(yearly.focal_votes_cast) as focal_votes_cast,
        sum(yearly.reference_member_roll_calls) as reference_member_roll_calls,
        sum(yearly.reference_votes_cast) as reference_votes_cast,
        avg(yearly.focal_ideal_point) as focal_ideal_point,
        avg(yearly.reference_ideal_point) as reference_ideal_point,
        avg(yearly.ideal_point_distance) as ideal_point_distance
    from yearly
    cross join selected_window
    group by
        yearly.topic_code,
        yearly.topic_name,
        selected_window.start_year,
        selected_window.end_year,
        yearly.reference_country,
        yearly.reference_country_name,
        yearly.reference_position

),

periods as (

    select * from yearly
    union all by name
    select * from pooled

),

measured as (

    select
        periods.*,
        {{ dyad_derived_counts('periods') }},
        {{ pooled_cohesion_measures('periods') }}
    from periods

),

-- the references ranked by each measure within the topic and period
ranks as (

    {{ measure_ranks(
        'measured', ['topic_code', 'period'], 'reference_country', cohesion_measure_names()
    ) }}

),

final as (

    select
        measured.topic_code,
        measured.topic_name,
        focal_country.country_code as focal_country,
        focal_country.country_name as focal_country_name,
        measured.reference_country,
        measured.reference_country_name,
        cast(measured.reference_position as integer) as reference_position,
        measured.period_type,
        measured.period,
        cast(measured.year as integer) as year,
        cast(measured.n_roll_calls_in_period as bigint) as n_roll_calls_in_period,
        {{ measured_columns('measured') }},
        cast(measured.focal_member_roll_calls as bigint) as focal_member_roll_calls,
        cast(measured.focal_votes_cast as bigint) as focal_votes_cast,
        {{ participation_rate('measured.focal_votes_cast', 'measured.focal_member_roll_calls') }}
            as focal_participation,
        cast(measured.reference_member_roll_calls as bigint) as reference_member_roll_calls,
        cast(measured.reference_votes_cast as bigint) as reference_votes_cast,
        {{ participation_rate(
            'measured.reference_votes_cast', 'measured.reference_member_roll_calls'
        ) }} as reference_participation,
        measured.focal_ideal_point,
        measured.reference_ideal_point,
        measured.ideal_point_distance,
        {%- for measure in cohesion_measure_names() %}
        ranks.rank_{{ measure }},
        {%- endfor %}
        selected_window.start_year,
        selected_window.end_year
    from measured
    cross join focal_country
    cross join selected_window
    inner join ranks
        on
            measured.topic_code = ranks.topic_code
            and measured.period = ranks.period
            and measured.reference_country = ranks.reference_country

)

select * from final
