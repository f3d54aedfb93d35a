-- marts.fct_ideal_points against Erik Voeten's published ideal points (Bailey, Strezhnev and
-- Voeten 2017; file IdealpointestimatesAll_Apr2020.csv: ccode, session, NVotes, IdealPoint,
-- ...). Run by `unga ideal-points compare` against the warehouse, read-only: every object made
-- here is temporary. Parameter: $voeten_file (path of the file, UTF-8).
--
-- Matching: Voeten's row (Correlates of War code, session s) and the warehouse's row
-- (country_code, year 1945 + s) whose country has that COW code (dim_countries.cow_code, or
-- raw.voeten_country_codes for 260, 678 and 713). Where one side has two candidates - Voeten's
-- 713 (Republic of China) and 710 for China in 1971, or the USSR and Russia (both 365) - the
-- candidate with more votes is taken, so each row is matched at most once.

create or replace temp table voeten_file as
select
    cast(voeten.ccode as integer) as cow_code,
    cast(voeten.session as integer) as session_number,
    cast(voeten.nvotes as integer) as voeten_n_votes,
    cast(voeten.idealpoint as double) as voeten_ideal_point
from read_csv($voeten_file, header = true) as voeten;

create or replace temp view ideal_point_cow_codes as
select
    countries.cow_code,
    countries.country_code
from marts.dim_countries as countries
where countries.cow_code is not null
union all
select
    cast(codes.source_code as integer) as cow_code,
    codes.country_code
from raw.voeten_country_codes as codes
where codes.source = 'voeten' and codes.code_type = 'cow_code';

create or replace temp view ideal_point_matches as
with

candidates as (
    select
        voeten_file.cow_code,
        voeten_file.session_number,
        voeten_file.voeten_n_votes,
        voeten_file.voeten_ideal_point,
        ours.country_code,
        ours.year,
        ours.n_votes,
        ours.ideal_point
    from voeten_file
    inner join ideal_point_cow_codes as cow_codes
        on voeten_file.cow_code = cow_codes.cow_code
    inner join marts.fct_ideal_points as ours
        on
            cow_codes.country_code = ours.country_code
            and voeten_file.session_number + 1945 = ours.year
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.cow_code, candidates.session_number
            order by candidates.n_votes desc, candidates.country_code asc
        ) as rank_for_voeten,
        row_number() over (
            partition by candidates.country_code, candidates.year
            order by candidates.voeten_n_votes desc, candidates.cow_code asc
        ) as rank_for_ours
    from candidates
)

select
    ranked.country_code,
    ranked.year,
    ranked.cow_code,
    ranked.session_number,
    ranked.ideal_point,
    ranked.voeten_ideal_point,
    ranked.n_votes,
    ranked.voeten_n_votes
from ranked
where ranked.rank_for_voeten = 1 and ranked.rank_for_ours = 1;

create or replace temp view ideal_point_agreement_by_year as
select
    matches.year,
    count(*) as n_states,
    corr(matches.ideal_point, matches.voeten_ideal_point) as correlation
from ideal_point_matches as matches
group by matches.year;

create or replace temp view ideal_point_agreement as
with

by_year as (
    select * from ideal_point_agreement_by_year
),

pooled as (
    select
        count(*) as n_matched,
        corr(matches.ideal_point, matches.voeten_ideal_point) as pooled_correlation
    from ideal_point_matches as matches
),

within as (
    select
        count(*) as n_years,
        median(by_year.correlation) as median_year_correlation,
        min(by_year.correlation) filter (where by_year.year >= 1950)
            as lowest_year_correlation_from_1950,
        arg_min(by_year.year, by_year.correlation) filter (where by_year.year >= 1950)
            as lowest_year_from_1950
    from by_year
),

voeten_span as (
    select
        min(voeten_file.session_number) + 1945 as first_year,
        max(voeten_file.session_number) + 1945 as last_year
    from voeten_file
),

unmatched as (
    select
        (select count(*) from voeten_file) as n_voeten_rows,
        (
            select count(*)
            from voeten_file
            anti join ideal_point_matches as matches
                on
                    voeten_file.cow_code = matches.cow_code
                    and voeten_file.session_number = matches.session_number
        ) as n_voeten_unmatched,
        (
            select count(*)
            from marts.fct_ideal_points as ours
            anti join ideal_point_matches as matches
                on ours.country_code = matches.country_code and ours.year = matches.year
            where ours.year between voeten_span.first_year and voeten_span.last_year
        ) as n_ours_unmatched
    from voeten_span
)

select
    unmatched.n_voeten_rows,
    pooled.n_matched,
    unmatched.n_voeten_unmatched,
    unmatched.n_ours_unmatched,
    within.n_years,
    pooled.pooled_correlation,
    within.median_year_correlation,
    within.lowest_year_correlation_from_1950,
    within.lowest_year_from_1950
from pooled
cross join within
cross join unmatched;

-- The largest disagreements: distance from the pooled least-squares line of the warehouse's
-- ideal point on Voeten's, in the warehouse's units.
create or replace temp view ideal_point_disagreements as
with

line as (
    select
        regr_intercept(matches.ideal_point, matches.voeten_ideal_point) as intercept,
        regr_slope(matches.ideal_point, matches.voeten_ideal_point) as slope
    from ideal_point_matches as matches
)

select
    matches.country_code,
    matches.year,
    matches.ideal_point,
    matches.voeten_ideal_point,
    line.intercept + line.slope * matches.voeten_ideal_point as expected_ideal_point,
    matches.ideal_point - (line.intercept + line.slope * matches.voeten_ideal_point)
        as difference,
    matches.n_votes,
    matches.voeten_n_votes
from ideal_point_matches as matches
cross join line;
