{#- Passes when the model has no rows (for tables that list problems). -#}
{% test row_count_is_zero(model) %}

select * from {{ model }}

{% endtest %}
