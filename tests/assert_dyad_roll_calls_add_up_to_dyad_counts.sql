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

    {%- set window = var('start_year') ~ ', ' ~ var('end_year') %}
    {% for reference in reference_countries() -%}
    {%- set pair = "'" ~ focal_country() ~ "', '" ~ reference ~ "'" -%}
    select * from {{ ref('dyad_roll_calls') }}({{ pair }}, {{ window }})
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

counted as (

    select
        listed.year,
        listed.country_a,
        listed.country_b,
        {%- for column in dyad_count_columns()[1:] %}
        count(*) filter (where listed.dyad_count = '{{ column }}') as {{ column }},
        {%- endfor %}
        count(*) as n_roll_calls
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
