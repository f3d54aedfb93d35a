-- Every country named in vars focal_country and reference_countries exists in dim_countries.
with

named as (

    select unnest(['{{ focal_country() }}', {{ reference_countries_literals() }}]) as country_code

)

select named.country_code
from named
left join {{ ref('dim_countries') }} as countries
    on named.country_code = countries.country_code
where countries.country_code is null
