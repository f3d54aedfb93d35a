{#- Passes when no two membership periods of the same country overlap (so a vote date falls in
    at most one period). -#}
{% test membership_periods_do_not_overlap(model) %}

select
    a.country_code,
    a.member_from,
    b.member_from as overlapping_from
from {{ model }} as a
inner join {{ model }} as b
    on
        a.country_code = b.country_code
        and a.member_from < b.member_from
        and (a.member_to is null or a.member_to >= b.member_from)

{% endtest %}
