{#- Passes when every (a, b) row has a (b, a) row with the same counts, a and b swapped, and
    the same symmetric measures. -#}
{% test dyads_are_mirrored(model, period_columns) %}

select ab.*
from {{ model }} as ab
left join {{ model }} as ba
    on
        {% for column in period_columns -%}
        ab.{{ column }} = ba.{{ column }} and
        {% endfor -%}
        ab.country_a = ba.country_b
        and ab.country_b = ba.country_a
where
    ba.country_a is null
    or ab.n_roll_calls <> ba.n_roll_calls
    or ab.n_both_yes <> ba.n_both_yes
    or ab.n_both_no <> ba.n_both_no
    or ab.n_both_abstain <> ba.n_both_abstain
    or ab.n_a_yes_b_no <> ba.n_a_no_b_yes
    or ab.n_a_yes_b_abstain <> ba.n_a_abstain_b_yes
    or ab.n_a_no_b_abstain <> ba.n_a_abstain_b_no
    or ab.n_a_absent <> ba.n_b_absent
    or ab.n_both_absent <> ba.n_both_absent
    or ab.n_opposite <> ba.n_opposite
    or ab.n_a_abstains <> ba.n_b_abstains
    or abs(coalesce(ab.identical_share, -9) - coalesce(ba.identical_share, -9)) > 1e-12
    or abs(coalesce(ab.agreement_index, -9) - coalesce(ba.agreement_index, -9)) > 1e-12
    or abs(coalesce(ab.cohen_kappa, -9) - coalesce(ba.cohen_kappa, -9)) > 1e-12
    or abs(coalesce(ab.scott_pi, -9) - coalesce(ba.scott_pi, -9)) > 1e-12
    or abs(coalesce(ab.s_score, -9) - coalesce(ba.s_score, -9)) > 1e-12

{% endtest %}
