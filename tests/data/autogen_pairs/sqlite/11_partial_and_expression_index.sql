-- kinds: index
CREATE UNIQUE INDEX accounts_email_lower ON accounts (lower(email));
CREATE INDEX notes_untitled ON notes (account_id) WHERE title = '';
