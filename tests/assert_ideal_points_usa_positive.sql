-- The scale's direction: the United States is positive in every year (the estimator's sign is
-- fixed so that it is; a year where it is not would mean the scale turned over).
select
    ideal_points.country_code,
    ideal_points.year,
    ideal_points.ideal_point
from {{ ref('fct_ideal_points') }} as ideal_points
where ideal_points.country_code = 'USA' and ideal_points.ideal_point <= 0
