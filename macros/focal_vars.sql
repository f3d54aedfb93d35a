{#- The focal-country vars, checked: upper-case codes; reference_countries may be given as a
    list ([RUS, CHN]) or as a comma-separated string ('RUS,CHN'). -#}

{% macro focal_country() -%}
    {{ return(var('focal_country') | string | trim | upper) }}
{%- endmacro %}

{% macro reference_countries() -%}
    {%- set raw = var('reference_countries') -%}
    {%- if raw is string -%}
        {%- set raw = raw.split(',') -%}
    {%- endif -%}
    {%- set codes = [] -%}
    {%- for code in raw -%}
        {%- set code = code | string | trim | upper -%}
        {%- if code and code not in codes -%}
            {%- do codes.append(code) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if codes | length == 0 -%}
        {{ exceptions.raise_compiler_error("var reference_countries is empty: give at least one country code") }}
    {%- endif -%}
    {{ return(codes) }}
{%- endmacro %}

{#- The reference countries as SQL string literals: 'RUS', 'CHN', ... -#}
{% macro reference_countries_literals() -%}
    {%- for code in reference_countries() %}'{{ code }}'{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}

{#- A relation of the reference countries in the order given: country_code, reference_position.
    A code that is not in dim_countries stops the build with the code in the message. -#}
{% macro reference_countries_relation(countries) -%}
    select
        {{ countries }}.country_code,
        refs.reference_position
    from (
        select
            unnest([{{ reference_countries_literals() }}]) as country_code,
            unnest(range(1, {{ reference_countries() | length }} + 1)) as reference_position
    ) as refs
    left join {{ countries }}
        on refs.country_code = {{ countries }}.country_code
    where coalesce(
        {{ countries }}.country_code,
        error('unknown country code in var reference_countries: ' || refs.country_code)
    ) is not null
{%- endmacro %}

{#- The arguments of the analyses of marts/analysis for the selection of the vars:
    'KAZ', ['RUS', 'CHN', 'USA', 'DEU'], 2007, 2022 (with_window=false leaves out the years). -#}
{% macro var_selection_arguments(with_window=true) -%}
    '{{ focal_country() }}', [{{ reference_countries_literals() }}]
    {%- if with_window %}, {{ var('start_year') }}, {{ var('end_year') }}{% endif -%}
{%- endmacro %}
