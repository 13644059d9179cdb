-- migc:revision      2b0000000002
-- migc:down_revision 2b0000000001
-- migc:message       billing: invoices
-- migc:create_date   2026-12-01 10:00:00
-- migc:depends_on    1a0000000002

-- migc:upgrade
CREATE TABLE invoices (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE invoices;
