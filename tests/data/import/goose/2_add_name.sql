-- +goose Up
-- +goose StatementBegin
ALTER TABLE users ADD COLUMN name TEXT;
UPDATE users SET name = email;
-- +goose StatementEnd

-- +goose Down
CREATE TABLE users_old (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO users_old (id, email) SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
