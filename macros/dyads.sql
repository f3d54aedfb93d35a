{#- Counting the votes of every pair of states, shared by the dyad marts.

    dyad_pair_counts: from a relation of member votes (roll_call_id, country_code, vote and the
    `period_columns`), one row per period and unordered pair (country_a < country_b) with the
    counts of each combination of their votes on the roll calls where both were members. The
    votes are paired within the same roll call and the same period columns, so a relation with
    one row per vote and topic pairs votes topic by topic.
    mirror_dyad_counts: adds the (b, a) row for every (a, b) row, swapping the a/b counts. -#}

{% macro dyad_pair_counts(votes, period_columns) -%}
    select
        {%- for column in period_columns %}
        a.{{ column }},
        {%- endfor %}
        a.country_code as country_a,
        b.country_code as country_b,
        count(*) as n_roll_calls,
        count(*) filter (where a.vote = 'Y' and b.vote = 'Y') as n_both_yes,
        count(*) filter (where a.vote = 'N' and b.vote = 'N') as n_both_no,
        count(*) filter (where a.vote = 'A' and b.vote = 'A') as n_both_abstain,
        count(*) filter (where a.vote = 'Y' and b.vote = 'N') as n_a_yes_b_no,
        count(*) filter (where a.vote = 'N' and b.vote = 'Y') as n_a_no_b_yes,
        count(*) filter (where a.vote = 'Y' and b.vote = 'A') as n_a_yes_b_abstain,
        count(*) filter (where a.vote = 'N' and b.vote = 'A') as n_a_no_b_abstain,
        count(*) filter (where a.vote = 'A' and b.vote = 'Y') as n_a_abstain_b_yes,
        count(*) filter (where a.vote = 'A' and b.vote = 'N') as n_a_abstain_b_no,
        count(*) filter (where a.vote = 'X' and b.vote <> 'X') as n_a_absent,
        count(*) filter (where a.vote <> 'X' and b.vote = 'X') as n_b_absent,
        count(*) filter (where a.vote = 'X' and b.vote = 'X') as n_both_absent
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
