{#- Parsing of UN Digital Library fields. Each macro returns a SQL expression; the dbt unit tests
    of the staging models pin their behaviour on hand-written cases. -#}

{#- A published vote total as an integer: the file writes them as decimals ('120.0'); blank is
    null. The loader has already rejected values that are not whole numbers. -#}
{% macro parse_total(column) -%}
    cast(cast(nullif(trim({{ column }}), '') as double) as integer)
{%- endmacro %}

{#- A Roman numeral ('XXVI') as an integer (26). Subtractive pairs are first written out
    additively (IV -> IIII, IX -> VIIII, XL -> XXXX, XC -> LXXXX, CD -> CCCC, CM -> DCCCC),
    then each letter is counted and weighted. -#}
{% macro roman_to_int(column) -%}
    {%- set additive -%}
        replace(replace(replace(replace(replace(replace(upper({{ column }}),
            'CM', 'DCCCC'), 'CD', 'CCCC'), 'XC', 'LXXXX'), 'XL', 'XXXX'), 'IX', 'VIIII'), 'IV', 'IIII')
    {%- endset -%}
    (
        {%- for letter, weight in [('I', 1), ('V', 5), ('X', 10), ('L', 50), ('C', 100), ('D', 500), ('M', 1000)] %}
        {{ '+ ' if not loop.first }}{{ weight }} * (length({{ additive }}) - length(replace({{ additive }}, '{{ letter }}', '')))
        {%- endfor %}
    )
{%- endmacro %}

{#- The resolution symbol as the UN writes it: 'A/RES/33/91[F]' -> 'A/RES/33/91 F',
    'A/RES/37/100C' -> 'A/RES/37/100 C', 'A/RES/36//235IX' -> 'A/RES/36/235 IX',
    'A/RES/2828(XXVI)[A]' -> 'A/RES/2828(XXVI) A'; clean symbols are kept. -#}
{% macro clean_resolution_symbol(column) -%}
    case
        when regexp_matches(
            regexp_replace(trim({{ column }}), '/+', '/', 'g'),
            '^(A/(RES|DEC)/((ES-|S-)?[0-9]+)/([0-9]+|XX)|A/RES/[0-9]+ ?\([A-Z0-9-]+\))'
        )
            then trim(regexp_replace(
                regexp_replace(trim({{ column }}), '/+', '/', 'g'),
                '^(A/(RES|DEC)/((ES-|S-)?[0-9]+)/([0-9]+|XX)|A/RES/[0-9]+) ?(\([A-Z0-9-]+\))? ?\[?([^\]]*)\]?$',
                '\1\6 \7'
            ))
        else nullif(trim({{ column }}), '')
    end
{%- endmacro %}

{#- The session a symbol belongs to: 'A/RES/62/3' -> '62', 'A/RES/ES-11/1' -> 'ES-11',
    'A/RES/2758(XXVI)' -> '26', 'A/RES/104(S-1)' -> 'S-1', 'A/RES/1000(ES-I)' -> 'ES-1'. -#}
{% macro session_from_symbol(column) -%}
    case
        when regexp_matches({{ column }}, '^A/(RES|DEC)/(ES-|S-)?[0-9]+/')
            then regexp_extract({{ column }}, '^A/(RES|DEC)/((ES-|S-)?[0-9]+)/', 2)
        when regexp_matches({{ column }}, '^A/RES/[0-9]+ ?\((ES-|S-)?[0-9]+\)')
            then regexp_extract({{ column }}, '^A/RES/[0-9]+ ?\(((ES-|S-)?[0-9]+)\)', 1)
        when regexp_matches({{ column }}, '^A/RES/[0-9]+ ?\((ES-|S-)?[IVXLC]+\)')
            then regexp_extract({{ column }}, '^A/RES/[0-9]+ ?\((ES-|S-)?[IVXLC]+\)', 1)
                || cast({{ roman_to_int(
                    "regexp_extract(" ~ column ~ ", '^A/RES/[0-9]+ ?\\((ES-|S-)?([IVXLC]+)\\)', 2)"
                ) }} as varchar)
    end
{%- endmacro %}

{#- A session label normalised: '62', 'ES-11', 'S-27' (upper case, no spaces). -#}
{% macro normalize_session(column) -%}
    nullif(upper(replace(trim({{ column }}), ' ', '')), '')
{%- endmacro %}

{#- The title without the catalogue's tail " : resolution / adopted by the General Assembly"
    (also its misspellings, "resolutions", "decision", with or without the slash or "adopted"),
    trimmed; a blank title is null. -#}
{% macro clean_title(column) -%}
    nullif(
        trim(regexp_replace(
            trim({{ column }}),
            '\s*(:\s*(res\w*|decisions?)(\s*/?\s*(\w+\s+)?by the [^:]*)?|(resolu\w*|decisions?)\s*/\s*[^:/]*)$',
            '',
            'i'
        )),
        ''
    )
{%- endmacro %}
