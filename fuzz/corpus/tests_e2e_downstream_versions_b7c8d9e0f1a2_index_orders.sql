-- migc:revision      b7c8d9e0f1a2
-- migc:down_revision a1f0e9d8c7b6
-- migc:message       index orders by customer
-- migc:create_date   2026-11-03 10:00:00

-- migc:upgrade
CREATE INDEX orders_customer ON orders (customer_id);

-- migc:downgrade
DROP INDEX orders_customer;
