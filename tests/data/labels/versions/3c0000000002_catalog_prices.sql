-- migc:revision      3c0000000002
-- migc:down_revision 3c0000000001
-- migc:message       catalog: prices
-- migc:create_date   2026-12-01 10:00:00
-- migc:branch_labels catalog

-- migc:upgrade
CREATE TABLE prices (id INTEGER PRIMARY KEY);

-- migc:downgrade
DROP TABLE prices;
