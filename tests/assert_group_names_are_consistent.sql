-- Every row of a group in seeds/group_memberships.csv carries the same group_name.
select
    group_memberships.group_code,
    count(distinct group_memberships.group_name) as n_names
from {{ ref('group_memberships') }} as group_memberships
group by group_memberships.group_code
having count(distinct group_memberships.group_name) > 1
