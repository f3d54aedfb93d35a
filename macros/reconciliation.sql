{#- The sources reconciled (marts/reconciliation), in the order pairs are written: a pair is
    (source_a, source_b) with source_a before source_b in this list. -#}
{% macro reconciliation_sources() -%}
    {{ return(['undl', 'unvotes', 'voeten', 'dgacm']) }}
{%- endmacro %}

{% macro reconciliation_source_pairs() -%}
    {%- set sources = reconciliation_sources() -%}
    {%- set pairs = [] -%}
    {%- for i in range(sources | length) -%}
        {%- for j in range(i + 1, sources | length) -%}
            {%- do pairs.append((sources[i], sources[j])) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{#- SQL: true when the country's votes in two sources are compared - at least one of them
    records a vote cast (Y, N, A). A country listed by neither, or as non-voting / absent (X)
    by both, is not compared. -#}
{% macro vote_is_compared(vote_a, vote_b) -%}
    ({{ vote_a }} in ('Y', 'N', 'A') or {{ vote_b }} in ('Y', 'N', 'A'))
{%- endmacro %}

{#- SQL: true when the two sources agree: the same vote, a country not listed counting as not
    voting (X). -#}
{% macro votes_agree(vote_a, vote_b) -%}
    (coalesce({{ vote_a }}, 'X') = coalesce({{ vote_b }}, 'X'))
{%- endmacro %}

{#- The Voeten roll calls (both layouts) that the reconciliation by symbol matched to each UN
    Digital Library roll call: one row (roll_call_id, year, voeten_source, rcid,
    is_important_vote, issue_codes) per match, from int_reconciliation_roll_calls
    (`reconciled`) and int_voeten_roll_calls (`voeten_roll_calls`). -#}
{% macro voeten_matches_of_undl_roll_calls(reconciled, voeten_roll_calls) -%}
    select
        cast(undl.source_roll_call_id as bigint) as roll_call_id,
        undl.year,
        {{ voeten_roll_calls }}.source as voeten_source,
        {{ voeten_roll_calls }}.rcid,
        {{ voeten_roll_calls }}.is_important_vote,
        {{ voeten_roll_calls }}.issue_codes
    from {{ reconciled }} as undl
    inner join {{ reconciled }} as voeten
        on
            undl.reconciled_key = voeten.reconciled_key
            and voeten.source in ('unvotes', 'voeten')
    inner join {{ voeten_roll_calls }}
        on
            voeten.source = {{ voeten_roll_calls }}.source
            and voeten.source_roll_call_id = cast({{ voeten_roll_calls }}.rcid as varchar)
    where undl.source = 'undl'
{%- endmacro %}
