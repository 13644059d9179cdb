-- kinds: table rebuild
ALTER TABLE accounts ADD COLUMN invited_by INTEGER REFERENCES accounts(id);
CREATE INDEX accounts_invited_by ON accounts (invited_by);
