-- migc:revision      c7a500000006
-- migc:down_revision c7a500000005
-- migc:message       index orders by customer and item
-- migc:create_date   2026-11-26 09:06:00

-- migc:upgrade
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_item ON orders (item_id);

-- migc:downgrade
DROP INDEX orders_item;
DROP INDEX orders_customer;
