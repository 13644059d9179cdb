-- migc:revision      c7a500000005
-- migc:down_revision c7a500000004
-- migc:message       items get a price
-- migc:create_date   2026-11-26 09:05:00

-- migc:upgrade
ALTER TABLE items ADD COLUMN price INTEGER NOT NULL DEFAULT 0;
UPDATE items SET price = (id * 37) % 500 + 1;

-- migc:downgrade
ALTER TABLE items DROP COLUMN price;
