{#- The focal-country view: cohesion of var focal_country with each of var reference_countries,
    per year of the window (vars start_year, end_year) and pooled over the whole window, every
    measure, and the references ranked by each; over all roll calls (topic_code 'all') and by
    topic (dim_topics, including the grouping foreign_policy). Pooled figures add up the counts
    of the years first and compute the measures from the sums (not an average of yearly
    figures). -#}
{%- set measures = ['identical_share', 'agreement_index', 'coincidence_yes_no',
    'state_dept_coincidence', 'cohen_kappa', 'scott_pi', 's_score'] -%}
with

dyads as (

    select * from {{ ref('fct_dyad_year_agreement') }}

),

topic_dyads as (

    select * from {{ ref('fct_dyad_year_topic_agreement') }}

),

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

roll_call_topics as (

    select * from {{ ref('dim_roll_call_topics') }}

),

topics as (

    select * from {{ ref('dim_topics') }}

),

countries as (

    select * from {{ ref('dim_countries') }}

),

focal as (

    select
        coalesce(
            max(countries.country_code),
            error('unknown country code in var focal_country: {{ focal_country() }}')
        ) as country_code,
        max(countries.country_name) as country_name
    from countries
    where countries.country_code = '{{ focal_country() }}'

),

refs as (

    {{ reference_countries_relation('countries') }}

),

years as (

    select unnest(range({{ var('start_year') }}, {{ var('end_year') }} + 1)) as year

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

focal_dyads as (

    select
        'all' as topic_code,
        dyads.*
    from dyads
    where
        dyads.year between {{ var('start_year') }} and {{ var('end_year') }}
        and dyads.country_a = '{{ focal_country() }}'
    union all by name
    select topic_dyads.*
    from topic_dyads
    where
        topic_dyads.year between {{ var('start_year') }} and {{ var('end_year') }}
        and topic_dyads.country_a = '{{ focal_country() }}'
        and topic_dyads.country_b in ({{ reference_countries_literals() }})

),

roll_calls_per_year as (

    select
        'all' as topic_code,
        roll_calls.year,
        count(*) as n_roll_calls_in_period
    from roll_calls
    where roll_calls.year between {{ var('start_year') }} and {{ var('end_year') }}
    group by roll_calls.year
    union all
    select
        roll_call_topics.topic_code,
        roll_calls.year,
        count(*) as n_roll_calls_in_period
    from roll_calls
    inner join roll_call_topics
        on roll_calls.roll_call_id = roll_call_topics.roll_call_id
    where roll_calls.year between {{ var('start_year') }} and {{ var('end_year') }}
    group by roll_call_topics.topic_code, roll_calls.year

),

yearly as (

    select
        topic_list.topic_code,
        topic_list.topic_name,
        'year' as period_type,
        cast(years.year as varchar) as period,
        years.year,
        refs.country_code as reference_country,
        refs.reference_position,
        coalesce(roll_calls_per_year.n_roll_calls_in_period, 0) as n_roll_calls_in_period,
        {% for column in dyad_count_columns() %}
        coalesce(focal_dyads.{{ column }}, 0) as {{ column }},
        {% endfor %}
        {{ state_dept_numerator('focal_dyads', 'years.year') }} as state_dept_numerator,
        {{ state_dept_denominator('focal_dyads', 'years.year') }} as state_dept_denominator
    from years
    cross join refs
    cross join focal
    cross join topic_list
    left join focal_dyads
        on
            topic_list.topic_code = focal_dyads.topic_code
            and years.year = focal_dyads.year
            and focal.country_code = focal_dyads.country_a
            and refs.country_code = focal_dyads.country_b
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
        '{{ var("start_year") }}-{{ var("end_year") }}' as period,
        cast(null as integer) as year,
        yearly.reference_country,
        yearly.reference_position,
        sum(yearly.n_roll_calls_in_period) as n_roll_calls_in_period,
        {% for column in dyad_count_columns() %}
        sum(yearly.{{ column }}) as {{ column }},
        {% endfor %}
        sum(yearly.state_dept_numerator) as state_dept_numerator,
        sum(yearly.state_dept_denominator) as state_dept_denominator
    from yearly
    group by
        yearly.topic_code,
        yearly.topic_name,
        yearly.reference_country,
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
        {{ identical_share('periods') }} as identical_share,
        {{ agreement_index('periods') }} as agreement_index,
        {{ coincidence_yes_no('periods') }} as coincidence_yes_no,
        periods.state_dept_numerator
        / nullif(periods.state_dept_denominator, 0) as state_dept_coincidence,
        {{ cohen_kappa('periods') }} as cohen_kappa,
        {{ scott_pi('periods') }} as scott_pi,
        {{ s_score('periods') }} as s_score
    from periods

),

final as (

    select
        measured.topic_code,
        measured.topic_name,
        focal.country_code as focal_country,
        focal.country_name as focal_country_name,
        measured.reference_country,
        reference_names.country_name as reference_country_name,
        cast(measured.reference_position as integer) as reference_position,
        measured.period_type,
        measured.period,
        cast(measured.year as integer) as year,
        cast(measured.n_roll_calls_in_period as bigint) as n_roll_calls_in_period,
        {% for column in dyad_count_columns() %}
        cast(measured.{{ column }} as bigint) as {{ column }},
        {% endfor %}
        cast(measured.n_opposite as bigint) as n_opposite,
        cast(measured.n_a_abstains as bigint) as n_a_abstains,
        cast(measured.n_b_abstains as bigint) as n_b_abstains,
        {% for measure in measures %}
        measured.{{ measure }},
        {% endfor %}
        {% for measure in measures %}
        cast(
            case
                when measured.{{ measure }} is not null
                    then rank() over (
                        partition by
                            measured.topic_code,
                            measured.period,
                            measured.{{ measure }} is null
                        order by measured.{{ measure }} desc
                    )
            end as integer
        ) as rank_{{ measure }},
        {% endfor %}
        {{ var('start_year') }} as start_year,
        {{ var('end_year') }} as end_year
    from measured
    cross join focal
    inner join countries as reference_names
        on measured.reference_country = reference_names.country_code

)

select * from final
