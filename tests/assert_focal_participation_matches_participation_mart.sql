-- The participation the focal analysis reports (marts.focal_cohesion through fct_focal_cohesion)
-- is, every year, the participation of the all-states mart fct_country_participation.
with

focal as (

    select * from {{ ref('fct_focal_cohesion') }}
    where topic_code = 'all' and period_type = 'year'

),

participation as (

    select * from {{ ref('fct_country_participation') }}

)

select
    focal.year,
    focal.reference_country
from focal
left join participation as focal_side
    on
        focal.year = focal_side.year
        and focal.focal_country = focal_side.country_code
left join participation as reference_side
    on
        focal.year = reference_side.year
        and focal.reference_country = reference_side.country_code
where
    focal.focal_member_roll_calls <> coalesce(focal_side.n_member_roll_calls, 0)
    or focal.focal_votes_cast <> coalesce(focal_side.n_votes_cast, 0)
    or focal.reference_member_roll_calls <> coalesce(reference_side.n_member_roll_calls, 0)
    or focal.reference_votes_cast <> coalesce(reference_side.n_votes_cast, 0)
