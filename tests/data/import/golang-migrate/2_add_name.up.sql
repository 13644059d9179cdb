ALTER TABLE users ADD COLUMN name TEXT;
UPDATE users SET name = email;
