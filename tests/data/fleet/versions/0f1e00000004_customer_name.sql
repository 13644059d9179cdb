-- migc:revision      0f1e00000004
-- migc:down_revision 0f1e00000003
-- migc:message       customer name
-- migc:create_date   2026-11-25 11:03:00

-- migc:upgrade
ALTER TABLE customers ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE customers SET name = 'customer; ' || id;
INSERT INTO fleet_log (revision) VALUES ('0f1e00000004');

-- migc:downgrade
ALTER TABLE customers DROP COLUMN name;
