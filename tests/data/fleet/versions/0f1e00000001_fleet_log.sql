-- The fleet test's log: every revision adds its id, so a revision applied
-- twice shows as a duplicate row (no key on purpose).
--
-- migc:revision      0f1e00000001
-- migc:down_revision none
-- migc:message       fleet log
-- migc:create_date   2026-11-25 11:00:00

-- migc:upgrade
CREATE TABLE fleet_log (revision VARCHAR(32) NOT NULL);
INSERT INTO fleet_log (revision) VALUES ('0f1e00000001');

-- migc:downgrade
DROP TABLE fleet_log;
