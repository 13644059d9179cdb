-- migc:revision      c7a500000023
-- migc:down_revision c7a500000022
-- migc:message       rename stock to inventory
-- migc:create_date   2026-11-26 09:23:00

-- migc:upgrade
ALTER TABLE stock RENAME TO inventory;

-- migc:downgrade
ALTER TABLE inventory RENAME TO stock;
