{#- The items of the ideal-point model: one row per roll call with the item it belongs to.
    Roll calls joined by bridges (int_roll_call_bridges), directly or through a chain of them,
    form one item and share its parameters; every other roll call is an item of its own. The
    item is named after the roll call with the lowest record id. -#}
with recursive

roll_calls as (

    select * from {{ ref('int_roll_calls_counted') }}

),

bridges as (

    select * from {{ ref('int_roll_call_bridges') }}

),

edges as (

    select
        bridges.roll_call_id,
        bridges.next_roll_call_id as other_roll_call_id
    from bridges
    union all
    select
        bridges.next_roll_call_id as roll_call_id,
        bridges.roll_call_id as other_roll_call_id
    from bridges

),

-- Every roll call with every roll call it reaches through bridges (itself included).
reach (roll_call_id, member_roll_call_id) as (

    select
        roll_calls.roll_call_id,
        roll_calls.roll_call_id as member_roll_call_id
    from roll_calls
    union
    select
        reach.roll_call_id,
        edges.other_roll_call_id as member_roll_call_id
    from reach
    inner join edges
        on reach.member_roll_call_id = edges.roll_call_id

),

items as (

    select
        reach.roll_call_id,
        min(reach.member_roll_call_id) as item_id,
        count(*) as n_roll_calls_in_item
    from reach
    group by reach.roll_call_id

),

final as (

    select
        items.roll_call_id,
        items.item_id,
        cast(items.n_roll_calls_in_item as integer) as n_roll_calls_in_item
    from items

)

select * from final
