-- migc:revision      5a0000000005
-- migc:down_revision 5a0000000004
-- migc:message       validate visibility, index it concurrently
-- migc:transaction   none

-- migc:upgrade
ALTER TABLE statuses VALIDATE CONSTRAINT visibility_known;
CREATE INDEX CONCURRENTLY IF NOT EXISTS index_statuses_on_visibility ON statuses (visibility);
CREATE INDEX CONCURRENTLY index_statuses_public ON statuses (id) WHERE visibility = 0;

-- migc:downgrade
DROP INDEX CONCURRENTLY IF EXISTS index_statuses_public;
DROP INDEX CONCURRENTLY IF EXISTS index_statuses_on_visibility;
