{#-
    Voting-cohesion measures for a dyad (country a, country b), each defined once here and
    computed from the dyad's vote counts. `t` is the alias of a relation with the count columns
    of marts.fct_dyad_year_agreement:

      n_both_yes, n_both_no, n_both_abstain          identical votes          (S)
      n_a_yes_b_no, n_a_no_b_yes                     opposite votes           (O)
      n_a_yes_b_abstain, n_a_no_b_abstain,
      n_a_abstain_b_yes, n_a_abstain_b_no            one abstains             (P)
      n_a_absent                                     a non-voting, b voted    (X)

    Every measure is null where its denominator is 0. Definitions and citations are in
    docs/MEASURES.md; the unit tests in models/marts/cohesion/_cohesion__models.yml check them on
    hand-computed cases.
-#}

{% macro _s(t) -%}
    ({{ t }}.n_both_yes + {{ t }}.n_both_no + {{ t }}.n_both_abstain)
{%- endmacro %}

{% macro _o(t) -%}
    ({{ t }}.n_a_yes_b_no + {{ t }}.n_a_no_b_yes)
{%- endmacro %}

{% macro _p(t) -%}
    ({{ t }}.n_a_yes_b_abstain + {{ t }}.n_a_no_b_abstain
    + {{ t }}.n_a_abstain_b_yes + {{ t }}.n_a_abstain_b_no)
{%- endmacro %}

{#- Roll calls on which both voted yes, no or abstained. -#}
{% macro _n_voted(t) -%}
    ({{ _s(t) }} + {{ _o(t) }} + {{ _p(t) }})
{%- endmacro %}

{#- Share of identical votes: S / (S + O + P). -#}
{% macro identical_share(t) -%}
    cast({{ _s(t) }} as double) / nullif({{ _n_voted(t) }}, 0)
{%- endmacro %}

{#- Lijphart (1963) index of agreement: (S + P/2) / (S + O + P). -#}
{% macro agreement_index(t) -%}
    (cast({{ _s(t) }} as double) + 0.5 * {{ _p(t) }}) / nullif({{ _n_voted(t) }}, 0)
{%- endmacro %}

{#- US State Department "votes only" coincidence (used up to 2016): identical yes/no votes over
    roll calls on which both voted yes or no. -#}
{% macro coincidence_yes_no(t) -%}
    cast({{ t }}.n_both_yes + {{ t }}.n_both_no as double)
    / nullif({{ t }}.n_both_yes + {{ t }}.n_both_no + {{ _o(t) }}, 0)
{%- endmacro %}

{#- State Department coincidence, numerator and denominator by the rule of the report year:
    up to 2016 yes/no votes only; 2017-2020 (S + P/2) / (S + O + P); from 2021 absences of a
    scored as abstentions, (S + P/2 + X/2) / (S + O + P + X). Roll calls where b did not vote
    never count. Kept apart so that periods spanning several years can be pooled. -#}
{% macro state_dept_numerator(t, year) -%}
    case
        when {{ year }} <= 2016 then cast({{ t }}.n_both_yes + {{ t }}.n_both_no as double)
        when {{ year }} <= 2020 then {{ _s(t) }} + 0.5 * {{ _p(t) }}
        else {{ _s(t) }} + 0.5 * {{ _p(t) }} + 0.5 * {{ t }}.n_a_absent
    end
{%- endmacro %}

{% macro state_dept_denominator(t, year) -%}
    case
        when {{ year }} <= 2016 then cast({{ t }}.n_both_yes + {{ t }}.n_both_no + {{ _o(t) }} as double)
        when {{ year }} <= 2020 then {{ _n_voted(t) }}
        else {{ _n_voted(t) }} + {{ t }}.n_a_absent
    end
{%- endmacro %}

{% macro state_dept_coincidence(t, year) -%}
    ({{ state_dept_numerator(t, year) }}) / nullif({{ state_dept_denominator(t, year) }}, 0)
{%- endmacro %}

{#- Signorino and Ritter (1999) S with votes on a 1 (yes) / 2 (abstain) / 3 (no) scale:
    1 - 2 * sum|d| / sum d_max, d_max = 2 per roll call, so 1 - (P + 2 O) / (S + O + P), which
    is 2 * agreement_index - 1 on every row (docs/MEASURES.md; a dbt test checks it). -#}
{% macro s_score(t) -%}
    1 - cast({{ _p(t) }} + 2 * {{ _o(t) }} as double) / nullif({{ _n_voted(t) }}, 0)
{%- endmacro %}

{#- Marginal counts of a's and b's votes over the roll calls on which both voted. -#}
{% macro _a_yes(t) -%}({{ t }}.n_both_yes + {{ t }}.n_a_yes_b_no + {{ t }}.n_a_yes_b_abstain){%- endmacro %}
{% macro _a_no(t) -%}({{ t }}.n_both_no + {{ t }}.n_a_no_b_yes + {{ t }}.n_a_no_b_abstain){%- endmacro %}
{% macro _a_abstain(t) -%}({{ t }}.n_both_abstain + {{ t }}.n_a_abstain_b_yes + {{ t }}.n_a_abstain_b_no){%- endmacro %}
{% macro _b_yes(t) -%}({{ t }}.n_both_yes + {{ t }}.n_a_no_b_yes + {{ t }}.n_a_abstain_b_yes){%- endmacro %}
{% macro _b_no(t) -%}({{ t }}.n_both_no + {{ t }}.n_a_yes_b_no + {{ t }}.n_a_abstain_b_no){%- endmacro %}
{% macro _b_abstain(t) -%}({{ t }}.n_both_abstain + {{ t }}.n_a_yes_b_abstain + {{ t }}.n_a_no_b_abstain){%- endmacro %}

{#- Cohen's kappa over the three categories yes / no / abstain taken as nominal (Hage 2011):
    (p_o - p_e) / (1 - p_e) with p_e from each country's own marginals; in counts
    (n S - sum a_k b_k) / (n^2 - sum a_k b_k). Null when n = 0 or p_e = 1. -#}
{% macro _sum_ab(t) -%}
    (cast({{ _a_yes(t) }} as double) * {{ _b_yes(t) }}
    + cast({{ _a_no(t) }} as double) * {{ _b_no(t) }}
    + cast({{ _a_abstain(t) }} as double) * {{ _b_abstain(t) }})
{%- endmacro %}

{% macro cohen_kappa(t) -%}
    (cast({{ _n_voted(t) }} as double) * {{ _s(t) }} - {{ _sum_ab(t) }})
    / nullif(cast({{ _n_voted(t) }} as double) * {{ _n_voted(t) }} - {{ _sum_ab(t) }}, 0)
{%- endmacro %}

{#- Scott's pi over the same three nominal categories (Hage 2011): p_e from the pooled
    marginals m_k = a_k + b_k; in counts (4 n S - sum m_k^2) / (4 n^2 - sum m_k^2). -#}
{% macro _sum_m2(t) -%}
    (pow(cast({{ _a_yes(t) }} + {{ _b_yes(t) }} as double), 2)
    + pow(cast({{ _a_no(t) }} + {{ _b_no(t) }} as double), 2)
    + pow(cast({{ _a_abstain(t) }} + {{ _b_abstain(t) }} as double), 2))
{%- endmacro %}

{% macro scott_pi(t) -%}
    (4 * cast({{ _n_voted(t) }} as double) * {{ _s(t) }} - {{ _sum_m2(t) }})
    / nullif(4 * pow(cast({{ _n_voted(t) }} as double), 2) - {{ _sum_m2(t) }}, 0)
{%- endmacro %}

{#- The weighted forms of Hage (2011) for UN votes: yes, abstain and no on one ordinal scale
    (1, 2, 3) and disagreements weighted by the squared distance between the two votes (0
    identical, 1 when one abstains, 4 for yes against no), as in his FPSIM code:
    1 - D_o / D_e, D_o the observed mean squared distance and D_e the one expected by chance
    (the normalisation by the largest distance cancels). In counts, D_o n = P + 4 O. -#}
{% macro _d2_observed(t) -%}
    (cast({{ _p(t) }} as double) + 4 * {{ _o(t) }})
{%- endmacro %}

{#- Cohen's weighted kappa: D_e from each state's own marginals, in counts
    sum_i sum_j a_i b_j d_ij^2 = a_Y b_A + a_A b_Y + a_A b_N + a_N b_A + 4 (a_Y b_N + a_N b_Y),
    kappa_w = 1 - n (P + 4 O) / that. Null when it is 0 (no disagreement to expect). -#}
{% macro _d2_expected_cohen(t) -%}
    (cast({{ _a_yes(t) }} as double) * {{ _b_abstain(t) }}
    + cast({{ _a_abstain(t) }} as double) * {{ _b_yes(t) }}
    + cast({{ _a_abstain(t) }} as double) * {{ _b_no(t) }}
    + cast({{ _a_no(t) }} as double) * {{ _b_abstain(t) }}
    + 4 * (cast({{ _a_yes(t) }} as double) * {{ _b_no(t) }}
    + cast({{ _a_no(t) }} as double) * {{ _b_yes(t) }}))
{%- endmacro %}

{% macro cohen_kappa_weighted(t) -%}
    1 - cast({{ _n_voted(t) }} as double) * {{ _d2_observed(t) }}
    / nullif({{ _d2_expected_cohen(t) }}, 0)
{%- endmacro %}

{#- Scott's weighted pi: D_e from the pooled marginals m_k = a_k + b_k, in counts
    2 m_Y m_A + 2 m_A m_N + 8 m_Y m_N (= 4 n^2 D_e), pi_w = 1 - 4 n (P + 4 O) / that. -#}
{% macro _d2_expected_scott(t) -%}
    (2 * cast({{ _a_yes(t) }} + {{ _b_yes(t) }} as double) * ({{ _a_abstain(t) }} + {{ _b_abstain(t) }})
    + 2 * cast({{ _a_abstain(t) }} + {{ _b_abstain(t) }} as double) * ({{ _a_no(t) }} + {{ _b_no(t) }})
    + 8 * cast({{ _a_yes(t) }} + {{ _b_yes(t) }} as double) * ({{ _a_no(t) }} + {{ _b_no(t) }}))
{%- endmacro %}

{% macro scott_pi_weighted(t) -%}
    1 - 4 * cast({{ _n_voted(t) }} as double) * {{ _d2_observed(t) }}
    / nullif({{ _d2_expected_scott(t) }}, 0)
{%- endmacro %}

{#- True when the two voted alike on every roll call where both voted (S = S + O + P > 0). The
    chance-corrected measures are null on such a pair when both cast one and the same kind of
    vote throughout (chance agreement is then 1), and 1 otherwise; the flag tells those nulls
    from the ones of pairs that never voted together. -#}
{% macro agreed_on_every_vote(t) -%}
    ({{ _n_voted(t) }} > 0 and {{ _s(t) }} = {{ _n_voted(t) }})
{%- endmacro %}

{#- All measures as select-list items, for a relation `t` and the year that picks the State
    Department rule, then the flag agreed_on_every_vote. -#}
{% macro cohesion_measures(t, year) -%}
    {{ identical_share(t) }} as identical_share,
    {{ agreement_index(t) }} as agreement_index,
    {{ coincidence_yes_no(t) }} as coincidence_yes_no,
    {{ state_dept_coincidence(t, year) }} as state_dept_coincidence,
    {{ cohen_kappa(t) }} as cohen_kappa,
    {{ cohen_kappa_weighted(t) }} as cohen_kappa_weighted,
    {{ scott_pi(t) }} as scott_pi,
    {{ scott_pi_weighted(t) }} as scott_pi_weighted,
    {{ s_score(t) }} as s_score,
    {{ agreed_on_every_vote(t) }} as agreed_on_every_vote
{%- endmacro %}

{#- The same measures over counts pooled across years: `t` also carries
    state_dept_numerator and state_dept_denominator, each year's summed under that year's rule
    (state_dept_numerator / state_dept_denominator). -#}
{% macro pooled_cohesion_measures(t) -%}
    {{ identical_share(t) }} as identical_share,
    {{ agreement_index(t) }} as agreement_index,
    {{ coincidence_yes_no(t) }} as coincidence_yes_no,
    {{ t }}.state_dept_numerator / nullif({{ t }}.state_dept_denominator, 0)
        as state_dept_coincidence,
    {{ cohen_kappa(t) }} as cohen_kappa,
    {{ cohen_kappa_weighted(t) }} as cohen_kappa_weighted,
    {{ scott_pi(t) }} as scott_pi,
    {{ scott_pi_weighted(t) }} as scott_pi_weighted,
    {{ s_score(t) }} as s_score,
    {{ agreed_on_every_vote(t) }} as agreed_on_every_vote
{%- endmacro %}

{#- The count columns of a dyad, in the order of the marts (macros/dyads.sql). -#}
{% macro dyad_count_columns() -%}
    {%- set columns = ['n_roll_calls'] -%}
    {%- for column, a_value, b_value, kind in dyad_vote_combinations() -%}
        {%- do columns.append(column) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The measures computed by cohesion_measures, in the order of the marts. -#}
{% macro cohesion_measure_names() -%}
    {{ return(['identical_share', 'agreement_index', 'coincidence_yes_no',
        'state_dept_coincidence', 'cohen_kappa', 'cohen_kappa_weighted', 'scott_pi',
        'scott_pi_weighted', 's_score']) }}
{%- endmacro %}

{#- The count, derived-count and measure columns of a measured relation `t`, as the analyses
    return them (counts as bigint), ending with agreed_on_every_vote. -#}
{% macro measured_columns(t) -%}
    {%- for column in dyad_count_columns() %}
    cast({{ t }}.{{ column }} as bigint) as {{ column }},
    {%- endfor %}
    cast({{ t }}.n_opposite as bigint) as n_opposite,
    cast({{ t }}.n_a_abstains as bigint) as n_a_abstains,
    cast({{ t }}.n_b_abstains as bigint) as n_b_abstains,
    {%- for measure in cohesion_measure_names() %}
    {{ t }}.{{ measure }},
    {%- endfor %}
    {{ t }}.agreed_on_every_vote
{%- endmacro %}

{#- The dyad's derived counts named in the literature: opposite votes, a abstains, b abstains. -#}
{% macro dyad_derived_counts(t) -%}
    {{ _o(t) }} as n_opposite,
    ({{ t }}.n_a_abstain_b_yes + {{ t }}.n_a_abstain_b_no) as n_a_abstains,
    ({{ t }}.n_a_yes_b_abstain + {{ t }}.n_a_no_b_abstain) as n_b_abstains
{%- endmacro %}

{#- measure_ranks: from a relation of measured rows, one row per partition (`partition_columns`)
    and `key_column` with the rank of the key by each of `measures` within its partition, as
    rank() would give it (ties share a rank; no rank without a value), in one pass: 1 is the
    highest value, or the lowest with lowest_first. Columns <prefix><measure>. -#}
{% macro measure_ranks(relation, partition_columns, key_column, measures, lowest_first=false, prefix='rank_') -%}
    select
        {%- for column in partition_columns %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        {{ relation }}.{{ key_column }},
        {%- for measure in measures %}
        cast(
            case
                when any_value({{ relation }}.{{ measure }}) is not null
                    then 1 + count(other.{{ key_column }}) filter (
                        where other.{{ measure }} {{ '<' if lowest_first else '>' }} {{ relation }}.{{ measure }}
                    )
            end as integer
        ) as {{ prefix }}{{ measure }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    inner join {{ relation }} as other
        on
            {%- for column in partition_columns %}
            {{ relation }}.{{ column }} = other.{{ column }}{{ ' and' if not loop.last }}
            {%- endfor %}
    group by
        {%- for column in partition_columns %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        {{ relation }}.{{ key_column }}
{%- endmacro %}
