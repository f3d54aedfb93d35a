{#- Passes when `expression` holds on every row (optionally only where `where_clause` holds). -#}
{% test expression_is_true(model, expression) %}

select * from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
