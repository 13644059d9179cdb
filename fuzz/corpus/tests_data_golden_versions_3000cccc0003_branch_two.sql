-- migc:revision      3000cccc0003
-- migc:down_revision 1000aaaa0001
-- migc:message       branch two
-- migc:create_date   2026-11-23 12:00:00
-- migc:transaction   none

-- migc:upgrade
CREATE INDEX things_name ON things (name);

-- migc:upgrade postgresql
CREATE INDEX CONCURRENTLY things_name ON things (name);

-- migc:downgrade
DROP INDEX things_name;
