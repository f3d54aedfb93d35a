{#- Passes when `expression` holds on every row (also usable as a column test). -#}
{% test expression_is_true(model, expression, column_name=none) %}

select * from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
