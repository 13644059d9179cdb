-- migc:revision      2b0000000003
-- migc:down_revision 2b0000000002
-- migc:message       billing: payments
-- migc:create_date   2026-12-01 10:00:00

-- migc:upgrade
CREATE TABLE payments (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE payments;
