{#- marts.focal_cohesion for the selection of the vars (focal_country, reference_countries,
    start_year, end_year), as a table for tools that only see tables. -#}
with

focal_cohesion as (

    select * from {{ ref('focal_cohesion') }}({{ var_selection_arguments() }})

),

final as (

    select * from focal_cohesion

)

select * from final
