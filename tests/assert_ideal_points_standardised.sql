-- The scale: mean 0 and standard deviation 1 over all estimated state-years.
select
    avg(estimates.ideal_point) as mean_ideal_point,
    stddev_pop(estimates.ideal_point) as sd_ideal_point
from {{ ref('int_ideal_points_estimated') }} as estimates
having
    abs(avg(estimates.ideal_point)) > 1e-9
    or abs(stddev_pop(estimates.ideal_point) - 1) > 1e-9
