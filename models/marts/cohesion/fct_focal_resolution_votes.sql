{#- marts.conflict_resolution_votes for the countries of the vars (focal_country,
    reference_countries), as a table for tools that only see tables. -#}
with

conflict_resolution_votes as (

    select *
    from {{ ref('conflict_resolution_votes') }}({{ var_selection_arguments(with_window=false) }})

),

final as (

    select * from conflict_resolution_votes

)

select * from final
