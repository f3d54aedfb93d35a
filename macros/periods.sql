{#- Periods of validity (memberships, names): a date falls in a period from `from_column` to
    `to_column`, both days included; a null bound is open (since always, or still valid). -#}

{% macro date_in_period(date, from_column, to_column) -%}
    ({{ from_column }} is null or {{ date }} >= {{ from_column }})
    and ({{ to_column }} is null or {{ date }} <= {{ to_column }})
{%- endmacro %}
