-- The roll calls behind a dyad's counts (marts.dyad_roll_calls), counted by year and count
-- column, are the dyad's counts in fct_dyad_year_agreement: here for the focal country of the
-- vars and each reference, over the window.
with

dyads as (

    select * from {{ ref('fct_dyad_year_agreement') }}
    where
        country_a = '{{ focal_country() }}'
        and country_b in ({{ reference_countries_literals() }})
        and year between {{ var('start_year') }} and {{ var('end_year') }}

),

listed as (

    {%- for reference in reference_countries() %}
    select * from {{ ref('dyad_roll_calls') }}(
        '{{ focal_country() }}', '{{ reference }}', {{ var('start_year') }}, {{ var('end_year') }}
    )
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

counted as (

    select
        listed.year,
        listed.country_a,
        listed.country_b,
        count(*) as n_roll_calls,
        {%- for column in dyad_count_columns()[1:] %}
        count(*) filter (where listed.dyad_count = '{{ column }}') as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from listed
    group by listed.year, listed.country_a, listed.country_b

)

select
    coalesce(dyads.year, counted.year) as year,
    coalesce(dyads.country_b, counted.country_b) as country_b
from dyads
full outer join counted
    on
        dyads.year = counted.year
        and dyads.country_a = counted.country_a
        and dyads.country_b = counted.country_b
where
    dyads.year is null
    or counted.year is null
    {%- for column in dyad_count_columns() %}
    or dyads.{{ column }} <> counted.{{ column }}
    {%- endfor %}
