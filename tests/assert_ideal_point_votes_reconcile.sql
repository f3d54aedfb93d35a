-- Every vote reaches the ideal-point model or is left out with a reason, and the estimate used
-- exactly the votes kept: rows of int_ideal_point_votes = rows of int_votes_mapped, and for each
-- path and year the votes the estimator counted (int_ideal_points_estimated.n_votes) = the
-- votes kept there. Returns the discrepancies.
with

votes as (

    select * from {{ ref('int_votes_mapped') }}

),

placed as (

    select * from {{ ref('int_ideal_point_votes') }}

),

estimates as (

    select * from {{ ref('int_ideal_points_estimated') }}

),

row_counts as (

    select
        'rows of int_votes_mapped and int_ideal_point_votes' as check_name,
        cast(null as varchar) as path,
        cast(null as integer) as year,
        (select count(*) from votes) as expected,
        (select count(*) from placed) as found

),

kept as (

    select
        placed.path,
        placed.year,
        count(*) as n_votes
    from placed
    where placed.exclusion_reason is null
    group by placed.path, placed.year

),

per_unit as (

    select
        'votes kept and votes the estimate used' as check_name,
        coalesce(kept.path, estimates.path) as path,
        coalesce(kept.year, estimates.year) as year,
        coalesce(kept.n_votes, 0) as expected,
        coalesce(estimates.n_votes, 0) as found
    from kept
    full outer join estimates
        on kept.path = estimates.path and kept.year = estimates.year

),

checks as (

    select * from row_counts
    union all
    select * from per_unit

)

select
    checks.check_name,
    checks.path,
    checks.year,
    checks.expected,
    checks.found
from checks
where checks.expected <> checks.found
