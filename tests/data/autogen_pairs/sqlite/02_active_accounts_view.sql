-- kinds: view
CREATE VIEW named_accounts AS SELECT id, email, name FROM accounts WHERE name IS NOT NULL;
