{#- Passes when no two periods (from_column to to_column, both days included, a null bound
    open) of the same key overlap, so that a date falls in at most one period per key. -#}
{% test periods_do_not_overlap(model, key_columns, from_column, to_column) %}

select
    {%- for column in key_columns %}
    a.{{ column }},
    {%- endfor %}
    a.{{ from_column }},
    b.{{ from_column }} as overlapping_from
from {{ model }} as a
inner join {{ model }} as b
    on
        {%- for column in key_columns %}
        a.{{ column }} = b.{{ column }} and
        {%- endfor %}
        coalesce(a.{{ from_column }}, date '0001-01-01')
        < coalesce(b.{{ from_column }}, date '0001-01-01')
        and (a.{{ to_column }} is null or a.{{ to_column }} >= b.{{ from_column }})

{% endtest %}
