-- migc:revision      c7a500000018
-- migc:down_revision c7a500000017
-- migc:message       index items by quantity and price
-- migc:create_date   2026-11-26 09:18:00

-- migc:upgrade
DROP INDEX items_qty;
CREATE INDEX items_qty_price ON items (qty, price);

-- migc:downgrade
DROP INDEX items_qty_price;
CREATE INDEX items_qty ON items (qty);
