-- migrate:up
ALTER TABLE users ADD COLUMN name TEXT;
UPDATE users SET name = email;

-- migrate:down
ALTER TABLE users DROP COLUMN name;
