-- migc:revision      c7a500000025
-- migc:down_revision c7a500000024
-- migc:message       items get a category
-- migc:create_date   2026-11-26 09:25:00

-- migc:upgrade
ALTER TABLE items ADD COLUMN category TEXT;
UPDATE items SET category = 'category ' || (id % 40);

-- migc:downgrade
ALTER TABLE items DROP COLUMN category;
