-- migc:revision      d9e0f1a2b3c4
-- migc:down_revision c3d4e5f6a7b8
-- migc:message       backfill customer names
-- migc:create_date   2026-11-05 10:00:00

-- migc:upgrade
ALTER TABLE customers ADD COLUMN name TEXT;
UPDATE customers SET name = substr(email, 1, instr(email, '@') - 1);

-- migc:downgrade
ALTER TABLE customers DROP COLUMN name;
