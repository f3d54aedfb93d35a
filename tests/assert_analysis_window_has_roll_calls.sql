-- Every year of the analysis window (vars start_year, end_year) has roll calls, and the window
-- itself is well formed.
with

years as (

    select unnest(
        range({{ var('start_year') }}, {{ var('end_year') }} + 1)
    ) as year

),

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

per_year as (

    select
        years.year,
        count(roll_calls.roll_call_id) as n_roll_calls
    from years
    left join roll_calls
        on years.year = roll_calls.year
    group by years.year

)

select
    per_year.year,
    per_year.n_roll_calls
from per_year
where per_year.n_roll_calls = 0
union all
select
    {{ var('start_year') }} as year,
    -1 as n_roll_calls
where {{ var('start_year') }} > {{ var('end_year') }} or {{ var('start_year') }} < 1946
