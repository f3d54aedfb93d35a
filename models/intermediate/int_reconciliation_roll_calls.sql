{#- Every roll call of every source - UN Digital Library (undl), Voeten in the unvotes layout
    (unvotes) and in his Dataverse layout (voeten), DGACM extracts (dgacm; resolutions adopted by
    recorded vote) - with the key under which the sources are reconciled, and the source's own
    totals.

    Roll calls are matched by the match key of their symbol (macros/symbol_keys.sql). Only votes
    on a resolution as a whole take part: Voeten's votes on amendments, paragraphs and procedural
    motions carry the symbol of the resolution too, but the other sources do not have them. Where
    a source still has several roll calls with the same key, the one closest in date to the UN
    Digital Library's (else DGACM's) date is matched, then the latest. A roll call that is not
    matched this way keeps a key of its own (`<source>:<id>`). Totals are the source's published
    figures where it has them (UN Digital Library vote summary, DGACM official counts), else
    counted from its per-country list. -#}
with

undl_roll_calls as (

    select * from {{ ref('int_roll_calls_counted') }}

),

voeten_roll_calls as (

    select * from {{ ref('int_voeten_roll_calls') }}

),

voeten_votes as (

    select * from {{ ref('int_voeten_votes_mapped') }}

),

dgacm_resolutions as (

    select * from {{ ref('stg_dgacm__resolutions') }}

),

voeten_counts as (

    select
        voeten_votes.source,
        voeten_votes.rcid,
        count(*) filter (where voeten_votes.vote = 'Y') as counted_yes,
        count(*) filter (where voeten_votes.vote = 'N') as counted_no,
        count(*) filter (where voeten_votes.vote = 'A') as counted_abstain
    from voeten_votes
    group by voeten_votes.source, voeten_votes.rcid

),

all_roll_calls as (

    select
        'undl' as source,
        cast(undl_roll_calls.roll_call_id as varchar) as source_roll_call_id,
        undl_roll_calls.roll_call_id as source_order,
        undl_roll_calls.resolution_symbol as symbol,
        {{ un_symbol_match_key('undl_roll_calls.resolution_symbol') }} as symbol_key,
        undl_roll_calls.vote_date,
        true as is_resolution_vote,
        true as has_vote_list,
        case
            when undl_roll_calls.has_published_totals then undl_roll_calls.published_yes
            else undl_roll_calls.counted_yes
        end as total_yes,
        case
            when undl_roll_calls.has_published_totals then undl_roll_calls.published_no
            else undl_roll_calls.counted_no
        end as total_no,
        case
            when undl_roll_calls.has_published_totals then undl_roll_calls.published_abstain
            else undl_roll_calls.counted_abstain
        end as total_abstain,
        undl_roll_calls.has_published_totals as is_total_published
    from undl_roll_calls
    union all
    select
        voeten_roll_calls.source,
        cast(voeten_roll_calls.rcid as varchar) as source_roll_call_id,
        voeten_roll_calls.rcid as source_order,
        voeten_roll_calls.unres as symbol,
        voeten_roll_calls.symbol_key,
        voeten_roll_calls.vote_date,
        voeten_roll_calls.is_resolution_vote,
        voeten_counts.rcid is not null as has_vote_list,
        coalesce(voeten_counts.counted_yes, 0) as total_yes,
        coalesce(voeten_counts.counted_no, 0) as total_no,
        coalesce(voeten_counts.counted_abstain, 0) as total_abstain,
        false as is_total_published
    from voeten_roll_calls
    left join voeten_counts
        on
            voeten_roll_calls.source = voeten_counts.source
            and voeten_roll_calls.rcid = voeten_counts.rcid
    union all
    select
        'dgacm' as source,
        dgacm_resolutions.resolution_symbol as source_roll_call_id,
        dgacm_resolutions.source_row as source_order,
        dgacm_resolutions.resolution_symbol as symbol,
        dgacm_resolutions.symbol_key,
        dgacm_resolutions.vote_date,
        true as is_resolution_vote,
        dgacm_resolutions.has_vote_lists as has_vote_list,
        coalesce(dgacm_resolutions.official_yes, dgacm_resolutions.listed_yes) as total_yes,
        coalesce(dgacm_resolutions.official_no, dgacm_resolutions.listed_no) as total_no,
        coalesce(dgacm_resolutions.official_abstain, dgacm_resolutions.listed_abstain)
            as total_abstain,
        dgacm_resolutions.official_yes is not null as is_total_published
    from dgacm_resolutions
    where dgacm_resolutions.is_recorded_vote

),

anchor_dates as (

    select
        all_roll_calls.symbol_key,
        coalesce(
            min(all_roll_calls.vote_date) filter (where all_roll_calls.source = 'undl'),
            min(all_roll_calls.vote_date) filter (where all_roll_calls.source = 'dgacm')
        ) as anchor_date
    from all_roll_calls
    where all_roll_calls.symbol_key is not null and all_roll_calls.is_resolution_vote
    group by all_roll_calls.symbol_key

),

ranked as (

    select
        all_roll_calls.*,
        case
            when all_roll_calls.symbol_key is null or not all_roll_calls.is_resolution_vote
                then null
            else row_number() over (
                partition by
                    all_roll_calls.source,
                    all_roll_calls.symbol_key,
                    all_roll_calls.is_resolution_vote
                order by
                    abs(date_diff(
                        'day',
                        all_roll_calls.vote_date,
                        coalesce(anchor_dates.anchor_date, all_roll_calls.vote_date)
                    )) asc,
                    all_roll_calls.source_order desc
            )
        end as key_rank
    from all_roll_calls
    left join anchor_dates
        on all_roll_calls.symbol_key = anchor_dates.symbol_key

),

final as (

    select
        case
            when ranked.key_rank = 1 then ranked.symbol_key
            else ranked.source || ':' || ranked.source_roll_call_id
        end as reconciled_key,
        ranked.source,
        ranked.source_roll_call_id,
        ranked.symbol,
        ranked.symbol_key,
        ranked.vote_date,
        cast(year(ranked.vote_date) as integer) as year,
        case
            when ranked.key_rank = 1 then 'symbol'
            when ranked.symbol_key is null then 'no resolution symbol'
            when not ranked.is_resolution_vote then 'amendment, paragraph or motion'
            else 'symbol held by another roll call of the source'
        end as match_basis,
        ranked.is_resolution_vote,
        ranked.has_vote_list,
        cast(ranked.total_yes as integer) as total_yes,
        cast(ranked.total_no as integer) as total_no,
        cast(ranked.total_abstain as integer) as total_abstain,
        ranked.is_total_published
    from ranked

)

select * from final
