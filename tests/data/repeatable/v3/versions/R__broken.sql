-- migc:repeatable broken
-- migc:message    fails halfway

-- migc:upgrade
CREATE VIEW broken AS SELECT id FROM orders;
INSERT INTO no_such_table VALUES (1);

-- migc:downgrade
DROP VIEW IF EXISTS broken;
