-- migc:revision      5a0000000007
-- migc:down_revision 5a0000000006
-- migc:message       renames and type changes

-- migc:upgrade
ALTER TABLE statuses RENAME COLUMN text TO body;
ALTER TABLE accounts ALTER COLUMN id TYPE bigint;
ALTER TABLE users ALTER COLUMN account_id TYPE bigint;
ALTER TABLE users ALTER COLUMN locale SET NOT NULL;
ALTER TABLE follows RENAME TO account_follows; -- migc:allow renaming-table -- no code reads it yet
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();

-- migc:downgrade
ALTER TABLE users DROP COLUMN token;
ALTER TABLE account_follows RENAME TO follows;
ALTER TABLE users ALTER COLUMN locale DROP NOT NULL;
ALTER TABLE statuses RENAME COLUMN body TO text;
