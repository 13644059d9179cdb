-- migc:revision      c7a500000029
-- migc:down_revision c7a500000028
-- migc:message       raise every fourth price, through the trigger
-- migc:create_date   2026-11-26 09:29:00

-- migc:upgrade
UPDATE items SET price = price + 5 WHERE id % 4 = 0;

-- migc:downgrade
UPDATE items SET price = price - 5 WHERE id % 4 = 0;
DELETE FROM price_changes;
