-- fct_dyad_year_agreement.ideal_point_distance is there exactly when both states have an ideal
-- point that year (marts.fct_ideal_points), and null otherwise.
with

dyads as (

    select * from {{ ref('fct_dyad_year_agreement') }}

),

ideal_points as (

    select * from {{ ref('fct_ideal_points') }}

),

final as (

    select
        dyads.year,
        dyads.country_a,
        dyads.country_b,
        dyads.ideal_point_distance,
        ideal_a.ideal_point as ideal_point_a,
        ideal_b.ideal_point as ideal_point_b
    from dyads
    left join ideal_points as ideal_a
        on dyads.country_a = ideal_a.country_code and dyads.year = ideal_a.year
    left join ideal_points as ideal_b
        on dyads.country_b = ideal_b.country_code and dyads.year = ideal_b.year
    where
        (dyads.ideal_point_distance is null)
        <> (ideal_a.ideal_point is null or ideal_b.ideal_point is null)

)

select * from final
