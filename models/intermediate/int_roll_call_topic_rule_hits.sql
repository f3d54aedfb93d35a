{#- Every rule of seeds/topic_rules.csv that matches a roll call of the UN Digital Library: the
    pattern is tried, case-insensitively, on the rule's field - title, agenda_title, subjects,
    dgacm_subjects (the UNBIS subjects of the DGACM record with the same symbol, where there is
    one) or any (the four joined with ' | ', in that order, missing ones as empty text).

    When the rules seed is already in the warehouse (as in `dbt build`, which loads seeds first),
    its rules are written into the query as constant patterns, compiled once each; otherwise
    (parsing, linting) the query joins the seed and compiles each pattern row by row, which gives
    the same rows about fifty times slower. -#}
{%- set field_columns = {
    'title': 'title',
    'agenda_title': 'agenda_title',
    'subjects': 'subjects',
    'dgacm_subjects': 'dgacm_subjects',
    'any': 'any_text'
} -%}
{%- set rules_relation = adapter.get_relation(
    database=ref('topic_rules').database,
    schema=ref('topic_rules').schema,
    identifier=ref('topic_rules').identifier
) if execute else none -%}
{%- set inline_rules = [] -%}
{%- if rules_relation is not none -%}
    {%- set rule_rows = run_query(
        'select rule_id, topic_code, field, pattern, effect from ' ~ ref('topic_rules')
        ~ ' order by rule_id'
    ) -%}
    {%- for row in rule_rows.rows -%}
        {%- if row['field'] not in field_columns -%}
            {{ exceptions.raise_compiler_error(
                'topic rule ' ~ row['rule_id'] ~ ' has an unknown field ' ~ row['field']
            ) }}
        {%- endif -%}
        {%- do inline_rules.append(row) -%}
    {%- endfor -%}
{%- endif %}
with

roll_calls as (

    select * from {{ ref('stg_undl__roll_calls') }}

),

dgacm as (

    select * from {{ ref('stg_dgacm__resolutions') }}

),

rules as (

    select * from {{ ref('topic_rules') }}

),

texts as (

    select
        roll_calls.roll_call_id,
        coalesce(roll_calls.title, '') as title,
        coalesce(roll_calls.agenda_title, '') as agenda_title,
        coalesce(roll_calls.subjects, '') as subjects,
        coalesce(dgacm.subjects, '') as dgacm_subjects
    from roll_calls
    left join dgacm
        on {{ un_symbol_match_key('roll_calls.resolution_symbol') }} = dgacm.symbol_key

),

fields as (

    select
        texts.*,
        concat_ws(
            ' | ', texts.title, texts.agenda_title, texts.subjects, texts.dgacm_subjects
        ) as any_text
    from texts

),

hits as (

    {% if inline_rules | length > 0 -%}
        {% for rule in inline_rules %}
            select
                fields.roll_call_id,
                '{{ rule['rule_id'] }}' as rule_id,
                '{{ rule['topic_code'] }}' as topic_code,
                '{{ rule['field'] }}' as field,
                '{{ rule['effect'] }}' as effect
            from fields
            where regexp_matches(
                fields.{{ field_columns[rule['field']] }},
                '{{ rule['pattern'] | replace("'", "''") }}',
                'i'
            )
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    {%- else -%}
    select
        fields.roll_call_id,
        rules.rule_id,
        rules.topic_code,
        rules.field,
        rules.effect
    from fields
    cross join rules
    where
        regexp_matches(
            case rules.field
                {% for field, column in field_columns.items() -%}
                when '{{ field }}' then fields.{{ column }}
                {% endfor -%}
            end,
            rules.pattern,
            'i'
        )
    {%- endif %}

)

select * from hits
