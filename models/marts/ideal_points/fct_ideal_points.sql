{#- Each state's ideal point by calendar year (docs/IDEAL_POINTS.md): the estimate of
    int_ideal_points_estimated for the state's path and year, with its 90% interval and the
    votes it rests on. A state that took over another's path in mid-year (the USSR and the
    Russian Federation in 1991) gives both the path's position for that year. -#}
with

estimates as (

    select * from {{ ref('int_ideal_points_estimated') }}

),

votes as (

    select * from {{ ref('int_ideal_point_votes') }}

),

state_years as (

    select
        votes.country_code,
        votes.year,
        votes.path,
        count(*) as n_votes,
        count(*) filter (where votes.vote = 'Y') as n_yes,
        count(*) filter (where votes.vote = 'A') as n_abstain,
        count(*) filter (where votes.vote = 'N') as n_no
    from votes
    where votes.exclusion_reason is null
    group by votes.country_code, votes.year, votes.path

),

final as (

    select
        state_years.country_code,
        state_years.year,
        estimates.ideal_point,
        estimates.standard_error,
        -- 1.6448536269514722 is the 95th percentile of the standard normal distribution
        estimates.ideal_point - 1.6448536269514722 * estimates.standard_error as lower_90,
        estimates.ideal_point + 1.6448536269514722 * estimates.standard_error as upper_90,
        cast(state_years.n_votes as integer) as n_votes,
        cast(state_years.n_yes as integer) as n_yes,
        cast(state_years.n_abstain as integer) as n_abstain,
        cast(state_years.n_no as integer) as n_no
    from state_years
    inner join estimates
        on
            state_years.path = estimates.path
            and state_years.year = estimates.year

)

select * from final
