{#- The span of dates within which a regular session's votes can fall: regular session n opens
    in September of 1945 + n (the first session opened in London in January 1946) and may resume
    until the next session opens in September of the following year. -#}
{% macro regular_session_start(session_number) -%}
    case
        when {{ session_number }} = 1 then date '1946-01-01'
        else make_date(1945 + {{ session_number }}, 9, 1)
    end
{%- endmacro %}

{% macro regular_session_end(session_number) -%}
    make_date(1946 + {{ session_number }}, 9, 30)
{%- endmacro %}
