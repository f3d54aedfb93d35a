{#- Bridges: pairs of roll calls in successive regular sessions that vote on the same text
    repeated (the yearly resolutions on one subject). A bridge makes the two roll calls one item
    of the ideal-point model (int_ideal_point_items), which is what ties the years to one scale.

    A pair is a bridge when
    - the later roll call is in the next regular session;
    - the titles are the same once normalised (the catalogue's ": resolution / adopted by the
      General Assembly" dropped, a heading before " : " dropped, references to earlier
      resolutions neutralised, lower case, the words the, a, an, of, on and everything but
      letters and digits removed), or, under the same normalised agenda title, differ by one
      letter (typos such as "nulear", "behaviour" and "behavior");
    - the title is specific: no session has two roll calls with it (a title shared by parts A, B,
      C ... of one resolution or by several texts is a heading, not a text);
    - the votes barely changed: of the states that were members and voted yes, no or abstained
      on both, at least var('ideal_point_bridge_min_agreement') cast the same vote (a different
      text under a repeated title draws a different vote);
    and seeds/bridged_resolutions.csv does not unlink it. That seed also links reviewed pairs the
    rules miss. -#}
with

roll_calls as (

    select * from {{ ref('int_roll_calls_counted') }}

),

votes as (

    select * from {{ ref('int_votes_mapped') }}

),

reviewed as (

    select * from {{ ref('bridged_resolutions') }}

),

-- The title a text carries: the catalogue's suffix (": resolution / adopted by the General
-- Assembly", with its typos) dropped, and of "Heading : own title" (or "Heading - own title")
-- only the own title, since headings change (UNRWA, "UN Relief and Works Agency ...").
titles as (

    select
        roll_calls.roll_call_id,
        roll_calls.resolution_symbol,
        roll_calls.session_number,
        roll_calls.agenda_title,
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    lower(roll_calls.title), '\s*:\s*(resol|resoul|decision)[^:]*$', ''
                ),
                '\s+(resolution|decision)s?\s*/?\s*(adopted|by the general).*$', ''
            ),
            '^.*(\s:|:\s|\s-\s)\s*', ''
        ) as own_title
    from roll_calls
    where roll_calls.session_type = 'regular'

),

-- The key compared across sessions: references to earlier resolutions ("implementation of
-- resolution 37/71") read as "resolution", since each year cites the year before; the words
-- the, a, an, of, on and everything but letters and digits dropped.
regular as (

    select
        titles.roll_call_id,
        titles.resolution_symbol,
        titles.session_number,
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    titles.own_title,
                    'resolutions?\s+\d+\s*(/\s*\d+)?(\s+[a-z]\b)?(\s*\([a-z0-9-]+\))?',
                    'resolution',
                    'g'
                ),
                '\b(the|a|an|of|on)\b', ' ', 'g'
            ),
            '[^a-z0-9]', '', 'g'
        ) as title_key,
        regexp_replace(lower(coalesce(titles.agenda_title, '')), '[^a-z0-9]', '', 'g')
            as agenda_key
    from titles

),

titles_per_session as (

    select
        regular.title_key,
        regular.session_number,
        count(*) as n_roll_calls
    from regular
    group by regular.title_key, regular.session_number

),

title_uses as (

    select
        titles_per_session.title_key,
        max(titles_per_session.n_roll_calls) as max_in_session
    from titles_per_session
    group by titles_per_session.title_key

),

specific as (

    select regular.*
    from regular
    inner join title_uses
        on regular.title_key = title_uses.title_key
    where title_uses.max_in_session = 1 and regular.title_key <> ''

),

same_title as (

    select
        earlier.roll_call_id,
        later.roll_call_id as next_roll_call_id,
        'same title' as basis
    from specific as earlier
    inner join specific as later
        on
            earlier.title_key = later.title_key
            and later.session_number = earlier.session_number + 1

),

near_title as (

    select
        earlier.roll_call_id,
        later.roll_call_id as next_roll_call_id,
        'title one letter apart, same agenda' as basis
    from specific as earlier
    inner join specific as later
        on
            earlier.agenda_key = later.agenda_key
            and later.session_number = earlier.session_number + 1
            and earlier.title_key <> later.title_key
    where
        earlier.agenda_key <> ''
        -- the case keeps the costly distance to the few pairs of nearly equal length
        and case
            when
                abs(length(earlier.title_key) - length(later.title_key)) <= 1
                and least(length(earlier.title_key), length(later.title_key)) >= 20
                then damerau_levenshtein(earlier.title_key, later.title_key) <= 1
            else false
        end
        -- only where neither has a same-title partner, and only one candidate each: bridges
        -- chain a text from session to session, they never fork
        and earlier.roll_call_id not in (select same_title.roll_call_id from same_title)
        and later.roll_call_id not in (select same_title.next_roll_call_id from same_title)
    qualify
        count(*) over (partition by earlier.roll_call_id) = 1
        and count(*) over (partition by later.roll_call_id) = 1

),

symbols as (

    select
        roll_calls.roll_call_id,
        roll_calls.resolution_symbol
    from roll_calls

),

reviewed_pairs as (

    select
        earlier.roll_call_id,
        later.roll_call_id as next_roll_call_id,
        reviewed.decision,
        reviewed.reason
    from reviewed
    inner join symbols as earlier
        on reviewed.resolution_symbol = earlier.resolution_symbol
    inner join symbols as later
        on reviewed.next_resolution_symbol = later.resolution_symbol

),

candidates as (

    select * from same_title
    union all
    select * from near_title
    union all
    select
        reviewed_pairs.roll_call_id,
        reviewed_pairs.next_roll_call_id,
        'reviewed' as basis
    from reviewed_pairs
    where reviewed_pairs.decision = 'link'

),

member_votes as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.vote
    from votes
    where votes.is_member and votes.vote in ('Y', 'N', 'A')

),

agreement as (

    select
        candidates.roll_call_id,
        candidates.next_roll_call_id,
        candidates.basis,
        count(*) as n_states_compared,
        avg(case when earlier.vote = later.vote then 1.0 else 0.0 end) as agreement
    from candidates
    inner join member_votes as earlier
        on candidates.roll_call_id = earlier.roll_call_id
    inner join member_votes as later
        on
            candidates.next_roll_call_id = later.roll_call_id
            and earlier.country_code = later.country_code
    group by candidates.roll_call_id, candidates.next_roll_call_id, candidates.basis

),

decided as (

    select
        agreement.*,
        reviewed_pairs.decision
    from agreement
    left join reviewed_pairs
        on
            agreement.roll_call_id = reviewed_pairs.roll_call_id
            and agreement.next_roll_call_id = reviewed_pairs.next_roll_call_id

),

-- A reviewed link stands; a rule's candidate needs the agreement and no reviewed unlink.
bridges as (

    select decided.*
    from decided
    where
        (decided.decision = 'link' and decided.basis = 'reviewed')
        or (
            decided.decision is null
            and decided.agreement >= {{ var('ideal_point_bridge_min_agreement') }}
        )

),

final as (

    select
        bridges.roll_call_id,
        earlier.resolution_symbol,
        bridges.next_roll_call_id,
        later.resolution_symbol as next_resolution_symbol,
        bridges.basis,
        reviewed_pairs.reason as review_reason,
        bridges.n_states_compared,
        bridges.agreement
    from bridges
    inner join symbols as earlier
        on bridges.roll_call_id = earlier.roll_call_id
    inner join symbols as later
        on bridges.next_roll_call_id = later.roll_call_id
    left join reviewed_pairs
        on
            bridges.roll_call_id = reviewed_pairs.roll_call_id
            and bridges.next_roll_call_id = reviewed_pairs.next_roll_call_id
            and bridges.basis = 'reviewed'

)

select * from final
