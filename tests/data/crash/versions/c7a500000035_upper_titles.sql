-- migc:revision      c7a500000035
-- migc:down_revision c7a500000034
-- migc:message       even titles in capitals
-- migc:create_date   2026-11-26 09:35:00

-- migc:upgrade
UPDATE documents SET title = upper(title) WHERE id % 2 = 0;

-- migc:downgrade
UPDATE documents SET title = lower(title) WHERE id % 2 = 0;
