-- Outside a transaction: PostgreSQL builds the index without blocking
-- writers, which cannot happen inside one.
--
-- migc:revision      0f1e00000005
-- migc:down_revision 0f1e00000004
-- migc:message       index orders by customer
-- migc:create_date   2026-11-25 11:04:00
-- migc:transaction   none

-- migc:upgrade
CREATE INDEX orders_customer ON orders (customer_id);
INSERT INTO fleet_log (revision) VALUES ('0f1e00000005');

-- migc:upgrade postgresql
CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);
INSERT INTO fleet_log (revision) VALUES ('0f1e00000005');

-- migc:downgrade
DROP INDEX orders_customer;

-- migc:downgrade postgresql
DROP INDEX CONCURRENTLY orders_customer;
