-- kinds: table index
ALTER TABLE posts ADD CONSTRAINT posts_title_length CHECK (char_length(title) <= 200);
CREATE INDEX posts_drafts ON posts (member_id) WHERE status = 'draft';
