-- migc:revision      ae0000000002
-- migc:down_revision ae0000000001
-- migc:message       item quantity
-- migc:create_date   2026-12-01 10:05:00

-- migc:upgrade
ALTER TABLE items ADD COLUMN qty INTEGER NOT NULL DEFAULT 0;

-- migc:downgrade
ALTER TABLE items DROP COLUMN qty;
