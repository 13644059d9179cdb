-- kinds: column
ALTER TABLE accounts ADD COLUMN domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL;
CREATE INDEX accounts_by_domain ON accounts (domain);
