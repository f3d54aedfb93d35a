{#- One row per calendar year with recorded votes: how many, the first and last vote dates, and
    whether the data cover the year only in part. The last year of the data is partial when its
    last roll call is before 15 December: the main part of the General Assembly's regular
    session ends with recorded votes in the second half of December, and every year from 1987
    on has one there (tests/assert_complete_years_end_in_late_december.sql checks this on the
    data). Every other year is complete. -#}
with

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

years as (

    select
        roll_calls.year,
        count(*) as n_roll_calls,
        min(roll_calls.vote_date) as first_vote_date,
        max(roll_calls.vote_date) as last_vote_date
    from roll_calls
    group by roll_calls.year

),

data_end as (

    select max(years.last_vote_date) as last_vote_date
    from years

),

final as (

    select
        cast(years.year as integer) as year,
        years.n_roll_calls,
        years.first_vote_date,
        years.last_vote_date,
        years.last_vote_date = data_end.last_vote_date as is_last_year,
        (
            years.last_vote_date = data_end.last_vote_date
            and years.last_vote_date < make_date(years.year, 12, 15)
        ) as is_partial
    from years
    cross join data_end

)

select * from final
