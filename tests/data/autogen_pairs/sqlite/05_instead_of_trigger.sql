-- kinds: trigger instead_of
CREATE TRIGGER named_accounts_rename INSTEAD OF UPDATE OF name ON named_accounts
BEGIN
    UPDATE accounts SET name = NEW.name WHERE id = OLD.id;
END;
