{#- The member-state name crosswalk (seeds/country_names.csv): names matched upper case and
    trimmed, each valid between valid_from and valid_to (null: open). A name that stood for
    different states over time (CHINA: the Republic of China's seat until 1971-10-25, the
    People's Republic's after; YUGOSLAVIA) has one row per period, and the vote date picks the
    state. -#}

{% macro country_name_crosswalk() -%}
    select distinct
        upper(trim(country_names.ms_name)) as name_key,
        country_names.country_code,
        country_names.valid_from,
        country_names.valid_to
    from {{ ref('country_names') }} as country_names
{%- endmacro %}

{#- SQL condition: the crosswalk row `names` applies to the name `name` on `vote_date`. -#}
{% macro country_name_matches(names, name, vote_date) -%}
    {{ name }} = {{ names }}.name_key
    and {{ date_in_period(vote_date, names ~ '.valid_from', names ~ '.valid_to') }}
{%- endmacro %}
