-- The focal analysis (marts.focal_cohesion through fct_focal_cohesion, counted from the votes of
-- the focal state and the references only) gives every year the counts of the all-pairs mart
-- fct_dyad_year_agreement (counted from every pair): two ways of counting that must agree.
with

focal as (

    select * from {{ ref('fct_focal_cohesion') }}
    where topic_code = 'all' and period_type = 'year'

),

dyads as (

    select * from {{ ref('fct_dyad_year_agreement') }}

)

select
    focal.year,
    focal.reference_country
from focal
left join dyads
    on
        focal.year = dyads.year
        and focal.focal_country = dyads.country_a
        and focal.reference_country = dyads.country_b
where
    false
    {%- for column in dyad_count_columns() %}
    or focal.{{ column }} <> coalesce(dyads.{{ column }}, 0)
    {%- endfor %}
