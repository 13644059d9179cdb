-- migc:revision      ae0000000003
-- migc:down_revision ae0000000002
-- migc:message       orders
-- migc:create_date   2026-12-01 10:10:00
-- migc:allow prefer-bigint-over-int

-- migc:upgrade
CREATE TABLE orders (id INTEGER PRIMARY KEY, item INTEGER NOT NULL);

-- migc:downgrade
DROP TABLE orders;
