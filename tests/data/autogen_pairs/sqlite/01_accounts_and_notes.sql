-- kinds: table index
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    title TEXT NOT NULL,
    body TEXT
);
CREATE INDEX notes_by_account ON notes (account_id);
INSERT INTO accounts (id, email, name) VALUES (1, 'ann@example.org', 'Ann'), (2, 'bob@example.org', NULL);
INSERT INTO notes (account_id, title, body) VALUES (1, 'first', 'hello'), (2, 'second', NULL);
