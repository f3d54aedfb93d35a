{#- The cohesion measures (seeds/measures.csv) with their position in the marts; a test keeps
    the list equal to the measures the macros compute. -#}
with

measures as (

    select * from {{ ref('measures') }}

),

positions as (

    select
        unnest([
            {%- for measure in cohesion_measure_names() %}
            '{{ measure }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ]) as measure_code,
        unnest(range(1, {{ cohesion_measure_names() | length }} + 1)) as measure_position

),

final as (

    select
        measures.measure_code,
        measures.measure_name,
        cast(positions.measure_position as integer) as measure_position,
        measures.lower_bound,
        measures.upper_bound,
        measures.is_chance_corrected,
        measures.formula,
        measures.source
    from measures
    full outer join positions
        on measures.measure_code = positions.measure_code

)

select * from final
