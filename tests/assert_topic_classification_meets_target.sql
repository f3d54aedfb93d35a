-- Warns when the topic rules miss the quality target against Voeten's issue codes
-- (topic_classification_quality): a macro-average F1 of at least 0.8 and no topic under 0.7,
-- in any period (fit, later, all). A warning, not an error: Voeten's codes are the yardstick,
-- not the truth, and a new release of either dataset can move the figures.
{{ config(severity='warn') }}
select
    quality.period,
    quality.topic_code,
    quality.f1
from {{ ref('topic_classification_quality') }} as quality
where
    (quality.topic_code = 'macro_average' and quality.f1 < 0.8)
    or (quality.topic_code <> 'macro_average' and quality.f1 < 0.7)
