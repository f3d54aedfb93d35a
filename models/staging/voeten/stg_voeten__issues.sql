{#- Voeten's issue flags (columns me, nu, di, hr, co, ec set to 1) as one row per roll call
    and issue code, the shape of the unvotes issues table. -#}
with

source as (

    select * from {{ source('voeten', 'voeten_votes') }}

),

flags as (

    {% for code in ['me', 'nu', 'di', 'hr', 'co', 'ec'] %}
    select distinct
        source.rcid,
        '{{ code }}' as issue_code,
        source.load_id
    from source
    where trim(source.{{ code }}) = '1'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from flags
