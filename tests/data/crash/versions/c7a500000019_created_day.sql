-- migc:revision      c7a500000019
-- migc:down_revision c7a500000018
-- migc:message       customers get a creation day
-- migc:create_date   2026-11-26 09:19:00

-- migc:upgrade
ALTER TABLE customers ADD COLUMN created_day INTEGER;
UPDATE customers SET created_day = id % 365 WHERE id % 4 <> 0;

-- migc:downgrade
ALTER TABLE customers DROP COLUMN created_day;
