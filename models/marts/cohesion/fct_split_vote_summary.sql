{#- marts.split_vote_summary for the selection of the vars (focal_country, reference_countries,
    start_year, end_year), as a table for tools that only see tables. -#}
with

split_vote_summary as (

    select * from {{ ref('split_vote_summary') }}({{ var_selection_arguments() }})

),

final as (

    select * from split_vote_summary

)

select * from final
