{#- Match keys for resolution symbols, so that the same resolution is found in every source.

    A key is `<session>/<number>[/<part>]`, upper case: A/RES/62/3 and Voeten's R/62/3 -> '62/3';
    A/RES/ES-10/19 -> 'ES-10/19'; A/RES/S-27/2 -> 'S-27/2'; the Roman-numeral symbols of the
    first thirty sessions carry the session in brackets: A/RES/2758(XXVI) and R/26/2758 ->
    '26/2758', A/RES/997(ES-I) -> 'ES-1/997'. The part of a resolution adopted in parts keeps
    its letters and numerals without separators: A/RES/33/91 F and R/33/91F -> '33/91/F';
    A/RES/50/38 B-VIII and R/50/38B/VIII -> '50/38/BVIII'; A/RES/39/236 SectionXIV and
    R/39/236/XIV -> '39/236/XIV'; A/RES/75/254 A-C -> '75/254/AC'. Decisions keep a DEC/ prefix
    (A/DEC/80/506 -> 'DEC/80/506'). Symbols of another form give null. The dbt unit tests of
    the staging models pin these cases. -#}

{#- The part of a symbol after the resolution number, as a key: letters and digits only,
    'SECTION' dropped; null when there is none. -#}
{% macro symbol_part_key(column) -%}
    nullif(regexp_replace(replace(upper(coalesce({{ column }}, '')), 'SECTION', ''), '[^A-Z0-9]', '', 'g'), '')
{%- endmacro %}

{#- A number written in the symbol, without leading zeros. -#}
{% macro symbol_number(expression) -%}
    cast(try_cast({{ expression }} as integer) as varchar)
{%- endmacro %}

{#- The key of a UN-style symbol (UN Digital Library, DGACM): A/RES/..., A/DEC/... -#}
{% macro un_symbol_match_key(column) -%}
    {%- set s = "upper(trim(" ~ column ~ "))" -%}
    {%- set modern = "'^A/(RES|DEC)/((ES-|S-)?[0-9]+)/([0-9]+)(.*)$'" -%}
    {%- set early = "'^A/RES/([0-9]+) ?\\(((ES-|S-)?[0-9IVXLC]+)\\)(.*)$'" -%}
    case
        when regexp_matches({{ s }}, {{ modern }})
            then
                case when regexp_extract({{ s }}, {{ modern }}, 1) = 'DEC' then 'DEC/' else '' end
                || regexp_extract({{ s }}, {{ modern }}, 2)
                || '/' || {{ symbol_number("regexp_extract(" ~ s ~ ", " ~ modern ~ ", 4)") }}
                || coalesce('/' || {{ symbol_part_key("regexp_extract(" ~ s ~ ", " ~ modern ~ ", 5)") }}, '')
        when regexp_matches({{ s }}, {{ early }})
            then
                {{ session_from_symbol(s) }}
                || '/' || {{ symbol_number("regexp_extract(" ~ s ~ ", " ~ early ~ ", 1)") }}
                || coalesce('/' || {{ symbol_part_key("regexp_extract(" ~ s ~ ", " ~ early ~ ", 4)") }}, '')
    end
{%- endmacro %}

{#- The key of a symbol in Voeten's `unres` column: R/<session>/<number><part> (R/62/3,
    R/33/91F, R/34/233/XII), or a UN-style symbol (A/RES/72/59). Voeten's codes for special and
    emergency special sessions (SS/1/176A, ESS/2/77B) and a few others do not carry the
    resolution number, so they give null. -#}
{% macro voeten_symbol_match_key(column) -%}
    {%- set s = "upper(trim(" ~ column ~ "))" -%}
    {%- set regular = "'^R/([0-9]+)/([0-9]+)(.*)$'" -%}
    case
        when regexp_matches({{ s }}, {{ regular }})
            then
                {{ symbol_number("regexp_extract(" ~ s ~ ", " ~ regular ~ ", 1)") }}
                || '/' || {{ symbol_number("regexp_extract(" ~ s ~ ", " ~ regular ~ ", 2)") }}
                || coalesce('/' || {{ symbol_part_key("regexp_extract(" ~ s ~ ", " ~ regular ~ ", 3)") }}, '')
        else {{ un_symbol_match_key(column) }}
    end
{%- endmacro %}
