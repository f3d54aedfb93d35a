{#- The selection every parameterised analysis (models/marts/analysis) starts from, checked
    once here. Each macro returns a select over marts.dim_countries / marts.dim_roll_calls,
    given the SQL expressions of the analysis's parameters:

    selected_focal: one row (country_code, country_name) for the focal country, or an error
      naming the code when it is not in dim_countries.
    selected_references: one row per reference country (country_code, country_name,
      reference_position 1, 2, ... in the order given, duplicates dropped), or an error naming
      the first unknown code, or naming the focal country when it is also a reference. An
      empty list gives no rows (and so an empty result).
    selected_window: one row (start_year, end_year): the years given, a null bound meaning the
      first or last year of the data; window_roll_calls: the roll calls of that window
      (roll_call_id, vote_date, year).
    selected_groups: one row per group (group_code, group_name, group_position 1, 2, ... in the
      order given) of marts.dim_groups, or an error naming the first unknown code.
    selected_topic, selected_roll_calls: below. -#}

{% macro _country_code(expression) -%}
    upper(trim({{ expression }}))
{%- endmacro %}

{% macro selected_focal(countries, focal, role='the focal country') -%}
    select
        coalesce(
            (
                select {{ countries }}.country_code
                from {{ countries }}
                where {{ countries }}.country_code = {{ _country_code(focal) }}
            ),
            error(
                'unknown country code ' || coalesce('''' || {{ focal }} || '''', 'null')
                || ' for {{ role }}: use an ISO alpha-3 code of marts.dim_countries'
            )
        ) as country_code,
        (
            select {{ countries }}.country_name
            from {{ countries }}
            where {{ countries }}.country_code = {{ _country_code(focal) }}
        ) as country_name
{%- endmacro %}

{#- The codes of a list given as a parameter, upper case and trimmed, each once with the
    position it first has in the list: one row (code, first_position) per code. -#}
{% macro _requested_codes(codes) -%}
    select
        {{ _country_code('given.code') }} as code,
        min(given.position) as first_position
    from (
        select
            unnest({{ codes }}) as code,
            generate_subscripts({{ codes }}, 1) as position
    ) as given
    group by {{ _country_code('given.code') }}
{%- endmacro %}

{% macro selected_references(countries, reference_codes, focal, role='reference country', role_of_focal='the focal country') -%}
    select
        requested.country_code,
        {{ countries }}.country_name,
        cast(row_number() over (order by requested.first_position) as integer)
            as reference_position
    from (
        select
            codes.code as country_code,
            codes.first_position
        from ({{ _requested_codes(reference_codes) }}) as codes
    ) as requested
    left join {{ countries }}
        on requested.country_code = {{ countries }}.country_code
    where
        case
            when {{ countries }}.country_code is null
                then error(
                    'unknown {{ role }} code '
                    || coalesce('''' || requested.country_code || '''', 'null')
                    || ': use ISO alpha-3 codes of marts.dim_countries'
                )
            when requested.country_code = {{ _country_code(focal) }}
                then error(
                    requested.country_code || ' is both {{ role_of_focal }} and a {{ role }}: '
                    || 'compare it with other countries'
                )
            else true
        end
{%- endmacro %}

{% macro selected_window(roll_calls, from_year, to_year) -%}
    select
        cast(
            coalesce({{ from_year }}, (select min({{ roll_calls }}.year) from {{ roll_calls }}))
            as integer
        ) as start_year,
        cast(
            coalesce({{ to_year }}, (select max({{ roll_calls }}.year) from {{ roll_calls }}))
            as integer
        ) as end_year
{%- endmacro %}

{% macro window_roll_calls(roll_calls, window) -%}
    select
        {{ roll_calls }}.roll_call_id,
        {{ roll_calls }}.vote_date,
        {{ roll_calls }}.year
    from {{ roll_calls }}
    inner join {{ window }}
        on {{ roll_calls }}.year between {{ window }}.start_year and {{ window }}.end_year
{%- endmacro %}

{#- selected_topic: one row (topic_code): 'all' when `topic` is null or 'all', else the topic,
    or an error naming it when it is not in marts.dim_topics. -#}
{% macro selected_topic(topics, topic) -%}
    select
        case
            when coalesce({{ topic }}, 'all') = 'all' then 'all'
            when exists (
                select 1 from {{ topics }} where {{ topics }}.topic_code = {{ topic }}
            ) then {{ topic }}
            else error(
                'unknown topic ''' || {{ topic }}
                || ''': use all or a topic_code of marts.dim_topics'
            )
        end as topic_code
{%- endmacro %}

{#- selected_roll_calls: the roll calls (every column of `roll_calls`) of the window and the
    topic, from the relations made by selected_window and selected_topic. -#}
{% macro selected_roll_calls(roll_calls, roll_call_topics, window, topic) -%}
    select {{ roll_calls }}.*
    from {{ roll_calls }}
    inner join {{ window }}
        on {{ roll_calls }}.year between {{ window }}.start_year and {{ window }}.end_year
    cross join {{ topic }}
    where
        {{ topic }}.topic_code = 'all'
        or exists (
            select 1
            from {{ roll_call_topics }}
            where
                {{ roll_call_topics }}.roll_call_id = {{ roll_calls }}.roll_call_id
                and {{ roll_call_topics }}.topic_code = {{ topic }}.topic_code
        )
{%- endmacro %}

{% macro selected_groups(groups, group_codes) -%}
    select
        requested.code as group_code,
        {{ groups }}.group_name,
        cast(row_number() over (order by requested.first_position) as integer) as group_position
    from ({{ _requested_codes(group_codes) }}) as requested
    left join {{ groups }}
        on requested.code = {{ groups }}.group_code
    where
        case
            when {{ groups }}.group_code is null
                then error(
                    'unknown group code ' || coalesce('''' || requested.code || '''', 'null')
                    || ': use a group_code of marts.dim_groups'
                )
            else true
        end
{%- endmacro %}

{#- selected_votes: the votes (roll_call_id, country_code, vote) cast while members by the
    states of the relations `countries` (each with a country_code column) in the window of the
    parameters from_year / to_year, on the roll calls of `roll_calls` when given (the window's
    and topic's, from selected_roll_calls). The window is also filtered on the votes' year
    directly, so that DuckDB skips the other years while it reads fct_votes. -#}
{% macro selected_votes(votes, countries, roll_calls=none) -%}
    select
        {{ votes }}.roll_call_id,
        {{ votes }}.country_code,
        {{ votes }}.vote
    from {{ votes }}
    {%- if roll_calls %}
    inner join {{ roll_calls }}
        on {{ votes }}.roll_call_id = {{ roll_calls }}.roll_call_id
    {%- endif %}
    where
        {{ votes }}.is_member
        -- the bounds of the window are parameters of the macro, not columns
        and {{ votes }}.year >= coalesce(from_year, 0)  -- noqa: RF02, RF03
        and {{ votes }}.year <= coalesce(to_year, 9999)  -- noqa: RF02, RF03
        and (
            false
            {%- for relation in countries %}
            or {{ votes }}.country_code in (select {{ relation }}.country_code from {{ relation }})
            {%- endfor %}
        )
{%- endmacro %}
