-- migc:revision      7b0000000004
-- migc:down_revision 7b0000000003
-- migc:message       folders need a position; body becomes required

-- migc:upgrade
ALTER TABLE folders ADD COLUMN position INTEGER NOT NULL;
ALTER TABLE notes ALTER COLUMN body SET NOT NULL;
ALTER TABLE folders ADD CONSTRAINT folders_name_unique UNIQUE (name);

-- migc:downgrade
ALTER TABLE folders DROP COLUMN position;
