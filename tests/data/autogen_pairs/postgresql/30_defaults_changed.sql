-- kinds: default
ALTER TABLE members ALTER COLUMN role SET DEFAULT 'writer';
ALTER TABLE post_labels ALTER COLUMN created_at DROP DEFAULT;
