-- migc:revision      c7a500000015
-- migc:down_revision c7a500000014
-- migc:message       double every third amount
-- migc:create_date   2026-11-26 09:15:00

-- migc:upgrade
UPDATE orders SET amount = amount * 2 WHERE id % 3 = 0;

-- migc:downgrade
UPDATE orders SET amount = amount / 2 WHERE id % 3 = 0;
