{#- Every vote of the UN Digital Library data with its place in the ideal-point model: the item
    (int_ideal_point_items), the path of positions it belongs to (the state, except where
    seeds/ideal_point_paths.csv says otherwise), the vote as an ordered category (0 no,
    1 abstain, 2 yes), and why it is left out, if it is:
    - not a member: cast while the state was not a UN member (the source lists some
      non-members as non-voting);
    - non-voting: present but no vote (X), which is missing data, not a position;
    - no split: on an item on which every member that voted cast the same vote, which says
      nothing about positions.
    Rows in = rows of int_votes_mapped (tested). -#}
with

votes as (

    select * from {{ ref('int_votes_mapped') }}

),

items as (

    select * from {{ ref('int_ideal_point_items') }}

),

paths as (

    select * from {{ ref('ideal_point_paths') }}

),

placed as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.year,
        votes.vote,
        votes.is_member,
        items.item_id,
        coalesce(paths.path, votes.country_code) as path,
        case votes.vote when 'N' then 0 when 'A' then 1 when 'Y' then 2 end as vote_category
    from votes
    inner join items
        on votes.roll_call_id = items.roll_call_id
    left join paths
        on
            votes.country_code = paths.country_code
            and votes.year between coalesce(paths.first_year, 0) and coalesce(paths.last_year, 9999)

),

splits as (

    select
        placed.item_id,
        count(distinct placed.vote_category) as n_categories
    from placed
    where placed.is_member and placed.vote_category is not null
    group by placed.item_id

),

final as (

    select
        placed.roll_call_id,
        placed.country_code,
        placed.year,
        placed.vote,
        placed.item_id,
        placed.path,
        placed.vote_category,
        case
            when not placed.is_member then 'not a member'
            when placed.vote_category is null then 'non-voting'
            when splits.n_categories < 2 then 'no split'
        end as exclusion_reason
    from placed
    left join splits
        on placed.item_id = splits.item_id

)

select * from final
