-- migc:repeatable a_report
-- migc:message    the report over the totals
-- migc:depends_on z_totals

-- migc:upgrade sqlite
DROP VIEW IF EXISTS a_report;
CREATE VIEW a_report AS SELECT count(*) AS items, sum(total) AS value FROM z_totals;

-- migc:upgrade postgresql
CREATE OR REPLACE VIEW a_report AS SELECT count(*) AS items, sum(total) AS value FROM z_totals;

-- migc:downgrade
DROP VIEW IF EXISTS a_report;
