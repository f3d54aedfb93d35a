{#- The rule of marts.dim_years for a partial last year rests on this: every year from 1987 on
    that is not the last of the data has a roll call on or after 15 December. A year that does
    not is returned (a warning: the rule would then need another look). -#}
{{ config(severity='warn') }}

with

years as (

    select * from {{ ref('dim_years') }}

),

final as (

    select
        years.year,
        years.last_vote_date
    from years
    where
        years.year >= 1987
        and not years.is_last_year
        and years.last_vote_date < make_date(years.year, 12, 15)

)

select * from final
