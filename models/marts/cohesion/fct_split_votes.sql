{#- marts.split_votes for the selection of the vars (focal_country, reference_countries,
    start_year, end_year), as a table for tools that only see tables. -#}
with

split_votes as (

    select * from {{ ref('split_votes') }}({{ var_selection_arguments() }})

),

final as (

    select * from split_votes

)

select * from final
