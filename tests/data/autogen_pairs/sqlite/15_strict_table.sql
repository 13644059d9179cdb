-- kinds: table
CREATE TABLE settings (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    key TEXT NOT NULL,
    value ANY,
    PRIMARY KEY (account_id, key)
) STRICT;
