-- migc:revision      c7a500000013
-- migc:down_revision c7a500000012
-- migc:message       rename customers.region
-- migc:create_date   2026-11-26 09:13:00

-- migc:upgrade
ALTER TABLE customers RENAME COLUMN region TO region_id;

-- migc:downgrade
ALTER TABLE customers RENAME COLUMN region_id TO region;
