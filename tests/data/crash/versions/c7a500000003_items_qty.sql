-- migc:revision      c7a500000003
-- migc:down_revision c7a500000002
-- migc:message       index items by quantity
-- migc:create_date   2026-11-26 09:03:00

-- migc:upgrade
CREATE INDEX items_qty ON items (qty);

-- migc:downgrade
DROP INDEX items_qty;
