-- kinds: view view_on_view instead_of
DROP VIEW note_counts;
DROP VIEW named_accounts;
CREATE VIEW named_accounts AS SELECT id, email, name FROM accounts WHERE name IS NOT NULL AND name <> '';
CREATE VIEW note_counts AS
    SELECT a.id, a.email, count(n.id) AS notes
    FROM named_accounts a LEFT JOIN notes n ON n.account_id = a.id
    GROUP BY a.id;
CREATE TRIGGER named_accounts_rename INSTEAD OF UPDATE OF name ON named_accounts
BEGIN
    UPDATE accounts SET name = NEW.name WHERE id = OLD.id;
END;
