{#- Counting the votes of pairs of states: one definition of which count a pair of votes lands
    in, used by the dyad marts (every pair) and by the analyses of marts/analysis (a chosen
    state against chosen others), and by the roll-call drill-down (dyad_roll_calls).

    dyad_vote_combinations: the count columns of a dyad (a, b), the votes of a and b that each
    counts, and the kind of agreement it is (S identical, O opposite, P one abstains, X a
    absent, ...; docs/MEASURES.md), in the order of the marts. Non-voting (X) is absent; a state
    that was not a member, or not listed, forms no pair at all. -#}

{% macro dyad_vote_combinations() -%}
    {{ return([
        ('n_both_yes', 'Y', 'Y', 'identical'),
        ('n_both_no', 'N', 'N', 'identical'),
        ('n_both_abstain', 'A', 'A', 'identical'),
        ('n_a_yes_b_no', 'Y', 'N', 'opposite'),
        ('n_a_no_b_yes', 'N', 'Y', 'opposite'),
        ('n_a_yes_b_abstain', 'Y', 'A', 'one_abstains'),
        ('n_a_no_b_abstain', 'N', 'A', 'one_abstains'),
        ('n_a_abstain_b_yes', 'A', 'Y', 'one_abstains'),
        ('n_a_abstain_b_no', 'A', 'N', 'one_abstains'),
        ('n_a_absent', 'X', 'voted', 'a_absent'),
        ('n_b_absent', 'voted', 'X', 'b_absent'),
        ('n_both_absent', 'X', 'X', 'both_absent'),
    ]) }}
{%- endmacro %}

{#- SQL condition: the vote column `vote` matches `value` of dyad_vote_combinations. -#}
{% macro _vote_matches(vote, value) -%}
    {%- if value == 'voted' -%}
        {{ vote }} <> 'X'
    {%- else -%}
        {{ vote }} = '{{ value }}'
    {%- endif -%}
{%- endmacro %}

{#- Aggregates over pairs of votes (one row per roll call on which both were members and
    listed): n_roll_calls and every count column; only the rows where `condition` holds, when
    one is given. -#}
{% macro dyad_count_aggregates(a_vote, b_vote, condition=none) -%}
    count(*){% if condition %} filter (where {{ condition }}){% endif %} as n_roll_calls,
    {%- for column, a_value, b_value, kind in dyad_vote_combinations() %}
    count(*) filter (
        where {{ _vote_matches(a_vote, a_value) }} and {{ _vote_matches(b_vote, b_value) }}
        {%- if condition %} and {{ condition }}{% endif %}
    ) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- SQL expressions: the count column of the dyad that a pair of votes lands in, and the kind
    of agreement (identical, opposite, one_abstains, a_absent, b_absent, both_absent). -#}
{% macro dyad_count_column(a_vote, b_vote) -%}
    case
        {%- for column, a_value, b_value, kind in dyad_vote_combinations() %}
        when {{ _vote_matches(a_vote, a_value) }} and {{ _vote_matches(b_vote, b_value) }}
            then '{{ column }}'
        {%- endfor %}
    end
{%- endmacro %}

{% macro dyad_agreement_kind(a_vote, b_vote) -%}
    case
        {%- for column, a_value, b_value, kind in dyad_vote_combinations() %}
        when {{ _vote_matches(a_vote, a_value) }} and {{ _vote_matches(b_vote, b_value) }}
            then '{{ kind }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- dyad_pair_counts: from a relation of member votes (roll_call_id, country_code, vote and the
    `period_columns`), one row per period and unordered pair (country_a < country_b) with the
    counts of each combination of their votes on the roll calls where both were members. -#}
{% macro dyad_pair_counts(votes, period_columns) -%}
    select
        {%- for column in period_columns %}
        a.{{ column }},
        {%- endfor %}
        a.country_code as country_a,
        b.country_code as country_b,
        {{ dyad_count_aggregates('a.vote', 'b.vote') }}
    from {{ votes }} as a
    inner join {{ votes }} as b
        on
            a.roll_call_id = b.roll_call_id
            {%- for column in period_columns %}
            and a.{{ column }} = b.{{ column }}
            {%- endfor %}
            and a.country_code < b.country_code
    group by
        {%- for column in period_columns %}
        a.{{ column }},
        {%- endfor %}
        a.country_code,
        b.country_code
{%- endmacro %}

{#- mirror_dyad_counts: adds the (b, a) row for every (a, b) row, swapping the a/b counts. -#}
{% macro mirror_dyad_counts(pairs, period_columns) -%}
    {%- set swapped = {
        'n_a_yes_b_no': 'n_a_no_b_yes', 'n_a_no_b_yes': 'n_a_yes_b_no',
        'n_a_yes_b_abstain': 'n_a_abstain_b_yes', 'n_a_abstain_b_yes': 'n_a_yes_b_abstain',
        'n_a_no_b_abstain': 'n_a_abstain_b_no', 'n_a_abstain_b_no': 'n_a_no_b_abstain',
        'n_a_absent': 'n_b_absent', 'n_b_absent': 'n_a_absent'} -%}
    select
        {%- for column in period_columns %}
        {{ pairs }}.{{ column }},
        {%- endfor %}
        {{ pairs }}.country_a,
        {{ pairs }}.country_b,
        {%- for column in dyad_count_columns() %}
        {{ pairs }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ pairs }}
    union all
    select
        {%- for column in period_columns %}
        {{ pairs }}.{{ column }},
        {%- endfor %}
        {{ pairs }}.country_b as country_a,
        {{ pairs }}.country_a as country_b,
        {%- for column in dyad_count_columns() %}
        {{ pairs }}.{{ swapped.get(column, column) }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ pairs }}
{%- endmacro %}
