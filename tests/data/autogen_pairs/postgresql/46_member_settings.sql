-- kinds: column index
ALTER TABLE members ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';
CREATE INDEX members_settings ON members USING gin (settings jsonb_path_ops);
