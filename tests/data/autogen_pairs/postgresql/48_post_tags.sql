-- kinds: column index
ALTER TABLE posts ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
CREATE INDEX posts_tags ON posts USING gin (tags);
