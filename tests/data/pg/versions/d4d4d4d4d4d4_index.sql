-- An index built without blocking writes. CREATE INDEX CONCURRENTLY cannot
-- run inside a transaction, so this revision runs outside one.
--
-- migc:revision      d4d4d4d4d4d4
-- migc:down_revision c3c3c3c3c3c3
-- migc:message       index events by account
-- migc:create_date   2026-11-25 10:30:00
-- migc:transaction   none

-- migc:upgrade postgresql
CREATE INDEX CONCURRENTLY events_account_idx ON events (account_id);

-- migc:downgrade postgresql
DROP INDEX CONCURRENTLY events_account_idx;
